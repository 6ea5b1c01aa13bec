-- Events of the auth service (today only `account.deleted`), written in the transaction that
-- makes the change, so that a process dying right after the commit cannot lose them. The relay
-- (`src/outbox.rs`) publishes each row and then deletes it: nothing here is kept once it went out.
-- No foreign key to `users`: the event outlives the account it is about.
CREATE TABLE outbox (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL,
    event_type    text NOT NULL,
    payload       text NOT NULL,
    created_at    timestamptz NOT NULL,
    claimed_until timestamptz
);
