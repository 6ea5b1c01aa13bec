-- Tombstones of deleted accounts (`account.deleted`): the user's id and when its receipts were
-- erased, nothing else. The sweeper erases these accounts again for an hour, for an upload made
-- with a URL presigned just before the deletion (docs/security.md, "Deleting an account").
CREATE TABLE deleted_users (
    user_id    BLOB PRIMARY KEY,
    deleted_at INTEGER NOT NULL
) STRICT;
