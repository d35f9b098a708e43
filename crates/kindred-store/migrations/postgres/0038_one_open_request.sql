-- One open contact request between two members, whoever asked, and one
-- open disclosure request from a member to a contact. The service looked
-- for an open one before writing, but two requests sent at the same moment
-- (each side to the other, or one side twice) both passed that look; the
-- database now keeps the second out (service::contacts maps it to the
-- same 409 the look gives). Requests already doubled keep their earliest
-- open; the later ones count as withdrawn.
UPDATE contact_requests SET status = 'withdrawn', decided_at = created_at
WHERE status = 'pending' AND EXISTS (
    SELECT 1 FROM contact_requests earlier
    WHERE earlier.association_id = contact_requests.association_id
      AND earlier.status = 'pending'
      AND LEAST(earlier.from_id, earlier.to_id) = LEAST(contact_requests.from_id, contact_requests.to_id)
      AND GREATEST(earlier.from_id, earlier.to_id) = GREATEST(contact_requests.from_id, contact_requests.to_id)
      AND (earlier.created_at < contact_requests.created_at
           OR (earlier.created_at = contact_requests.created_at AND earlier.id < contact_requests.id)));
CREATE UNIQUE INDEX contact_requests_one_open
    ON contact_requests (association_id, LEAST(from_id, to_id), GREATEST(from_id, to_id))
    WHERE status = 'pending';

UPDATE disclosure_requests SET status = 'withdrawn', decided_at = created_at
WHERE status = 'pending' AND EXISTS (
    SELECT 1 FROM disclosure_requests earlier
    WHERE earlier.association_id = disclosure_requests.association_id
      AND earlier.status = 'pending'
      AND earlier.from_id = disclosure_requests.from_id
      AND earlier.to_id = disclosure_requests.to_id
      AND (earlier.created_at < disclosure_requests.created_at
           OR (earlier.created_at = disclosure_requests.created_at AND earlier.id < disclosure_requests.id)));
CREATE UNIQUE INDEX disclosure_requests_one_open
    ON disclosure_requests (association_id, from_id, to_id)
    WHERE status = 'pending';
