-- Tombstones of deleted accounts (`account.deleted`): the user's id and when its data was
-- erased, nothing else. An event about a user with a tombstone is recorded as processed and not
-- applied, so a late `expense.created` cannot bring a copy back; and the service erases these
-- accounts again for two hours, for what a request accepted on a cached token verdict wrote
-- (docs/security.md, "Deleting an account"). The tables emptied are listed once, in
-- src/repository/store/erasure.rs.
CREATE TABLE deleted_users (
    user_id    uuid PRIMARY KEY,
    deleted_at timestamptz NOT NULL
);
