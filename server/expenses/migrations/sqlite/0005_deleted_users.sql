-- Tombstones of deleted accounts (`account.deleted`): the user's id and when its data was
-- erased, nothing else. Kept so that the housekeeping sweep can erase again what a request still
-- carrying a cached token verdict wrote just after the erasure (docs/security.md, "Deleting an
-- account"). Every other table keyed by user is emptied of the user by one list of statements,
-- `ERASE_USER` in src/repository/mod.rs: a new table keyed by user must be added there.
CREATE TABLE deleted_users (
    user_id    BLOB PRIMARY KEY,
    deleted_at INTEGER NOT NULL
) STRICT;
