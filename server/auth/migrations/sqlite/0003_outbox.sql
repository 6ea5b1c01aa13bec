-- Events of the auth service (today only `account.deleted`), written in the transaction that
-- makes the change, so that a process dying right after the commit cannot lose them. The relay
-- (`src/outbox.rs`) publishes each row and then deletes it: nothing here is kept once it went out.
-- No foreign key to `users`: the event outlives the account it is about.
CREATE TABLE outbox (
    id            BLOB PRIMARY KEY,
    user_id       BLOB NOT NULL,
    event_type    TEXT NOT NULL,
    payload       TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    claimed_until INTEGER
) STRICT;
