-- One one-to-one conversation per pair of members. The service looked for
-- the pair's conversation before making one, but starts sent at the same
-- moment all passed that look and each made its own. `pair` holds the two
-- member ids, the smaller first, on the one-to-one conversation the two
-- have; a unique index keeps a second out (service::messaging then answers
-- as if it had looked after the first: adds the message to it, or 409
-- request_pending). Leaving clears it, so that the two may start anew; it
-- goes with the conversation when a member is erased. NULL for group
-- conversations and group chats.
--
-- Conversations already doubled are kept as they are (their messages are
-- sealed under their own keys and are not merged): the earliest of a pair
-- in which nobody has left, the one the service found first before, gets
-- the pair; the others stay readable in the list but are not the pair's.
ALTER TABLE conversations ADD COLUMN pair TEXT;
UPDATE conversations SET pair = (
    SELECT MIN(m.member_id) || ' ' || MAX(m.member_id) FROM conversation_members m
    WHERE m.association_id = conversations.association_id AND m.conversation_id = conversations.id)
WHERE group_id IS NULL
  AND (SELECT COUNT(*) FROM conversation_members m
       WHERE m.association_id = conversations.association_id AND m.conversation_id = conversations.id) = 2
  AND NOT EXISTS (SELECT 1 FROM conversation_members m
       WHERE m.association_id = conversations.association_id AND m.conversation_id = conversations.id
         AND m.status = 'left');
UPDATE conversations SET pair = NULL
WHERE pair IS NOT NULL AND EXISTS (
    SELECT 1 FROM conversations earlier
    WHERE earlier.association_id = conversations.association_id
      AND earlier.pair = conversations.pair
      AND (earlier.created_at < conversations.created_at
           OR (earlier.created_at = conversations.created_at AND earlier.id < conversations.id)));
CREATE UNIQUE INDEX conversations_of_pair ON conversations (association_id, pair) WHERE pair IS NOT NULL;
