-- Pseudonyms are unique by looks, not only by case: the UTS #39 skeleton
-- key (`Pseudonym::skeleton_key`) is unique per association. Rows from
-- before are filled in by the server at start (`fill_pseudonym_skeletons`,
-- oldest first; of two existing look-alikes the younger is asked for a new
-- pseudonym). NULL holds no claim: NULLs never collide in a unique index.
ALTER TABLE members ADD COLUMN pseudonym_skeleton TEXT;
CREATE UNIQUE INDEX members_pseudonym_skeleton ON members (association_id, pseudonym_skeleton);

-- A registration claims its pseudonym only once its address is confirmed,
-- so that only the registrant learns that it was taken. Until then, or
-- until the member chose another, the account is pending: `pseudonym` is
-- its wish, `pseudonym_key` a placeholder of its own ('~' and the member
-- id: no pseudonym starts with '~'), `pseudonym_skeleton` NULL.
ALTER TABLE members ADD COLUMN pseudonym_pending BOOLEAN NOT NULL DEFAULT FALSE;

-- What `fill_pseudonym_skeletons` looks for at every start: once done, the
-- index is empty (pending registrations are not in it) and the query reads nothing.
CREATE INDEX members_skeleton_missing ON members (association_id, created_at, id)
    WHERE pseudonym_skeleton IS NULL AND NOT pseudonym_pending;
