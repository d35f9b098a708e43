-- Staff tools at volume (issue 14, item 8).
--
-- Invitation codes carry the batch they were made in and the label staff
-- gave it ("Hamburg group meeting, May"), so that a batch can be listed and
-- revoked as one: the codes themselves are stored only as keyed hashes and
-- cannot be shown again. A revoked code is refused like a used one.
ALTER TABLE invitations ADD COLUMN batch_id TEXT;
ALTER TABLE invitations ADD COLUMN label TEXT;
ALTER TABLE invitations ADD COLUMN revoked_at TIMESTAMPTZ;
CREATE INDEX invitations_by_batch ON invitations (association_id, batch_id);

-- A request that staff declined leaves the queue; the applicant stays
-- unverified and may ask again by any procedure (which clears the mark).
ALTER TABLE verification_requests ADD COLUMN declined_at TIMESTAMPTZ;
