-- A message reported from an alias group's chat is shown to moderators
-- under the alias it was written under, as the chat showed it, never as
-- the member behind it (docs/alias-groups.md: staff never turn an alias
-- into an account). The alias is copied at report time; NULL for any
-- other conversation.
ALTER TABLE message_report_items ADD COLUMN sender_alias TEXT;

-- Reports filed before: the alias the sender has in the chat's group,
-- where the message is still there to say which chat it was.
UPDATE message_report_items SET sender_alias = (
    SELECT gm.alias FROM messages msg
    JOIN conversations c ON c.association_id = msg.association_id AND c.id = msg.conversation_id
    JOIN community_groups g ON g.association_id = c.association_id AND g.id = c.group_id AND g.alias_mode
    JOIN group_members gm ON gm.association_id = g.association_id AND gm.group_id = g.id
        AND gm.member_id = message_report_items.sender_id
    WHERE msg.association_id = message_report_items.association_id AND msg.id = message_report_items.message_id
);
