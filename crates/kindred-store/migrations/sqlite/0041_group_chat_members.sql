-- A group's chat is for all its members: every member gets a row in it
-- (before, a member got one only on first opening it, and until then
-- was neither told of its messages nor rung for its calls). Nothing of
-- the past is unread for those added here.
INSERT INTO conversation_members (association_id, conversation_id, member_id, status, joined_at, read_seq, mailed)
SELECT c.association_id, c.id, gm.member_id, 'active', gm.updated_at, c.last_seq, FALSE
FROM conversations c
JOIN group_members gm ON gm.association_id = c.association_id AND gm.group_id = c.group_id
WHERE c.group_id IS NOT NULL AND gm.status = 'member'
ON CONFLICT DO NOTHING;
