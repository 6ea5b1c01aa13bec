-- Expenses, budgets, idempotency keys and the outbox of the expenses service.
-- Money is integer minor units plus the currency and its exponent (ISO 4217); never a float.

CREATE TABLE expenses (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL,
    amount_minor bigint NOT NULL,
    currency     char(3) NOT NULL,
    exponent     smallint NOT NULL CHECK (exponent BETWEEN 0 AND 4),
    category     text NOT NULL,
    note         text,
    merchant     text,
    -- lower-cased note and merchant, for case-insensitive search identical on both backends
    search_text  text NOT NULL,
    spent_on     date NOT NULL,
    tags         text[] NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    version      bigint NOT NULL
);
-- The list order and its keyset: newest day first, then id.
CREATE INDEX expenses_user_spent_idx ON expenses (user_id, spent_on DESC, id DESC);
CREATE INDEX expenses_user_category_idx ON expenses (user_id, category);

CREATE TABLE budgets (
    user_id       uuid NOT NULL,
    category      text NOT NULL,
    amount_minor  bigint NOT NULL CHECK (amount_minor > 0),
    currency      char(3) NOT NULL,
    exponent      smallint NOT NULL,
    period        text NOT NULL CHECK (period = 'monthly'),
    starts_on_day smallint NOT NULL CHECK (starts_on_day BETWEEN 1 AND 28),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (user_id, category)
);

-- A create retried with the same Idempotency-Key answers the first response, byte for byte.
CREATE TABLE idempotency_keys (
    user_id       uuid NOT NULL,
    key           text NOT NULL,
    request_hash  bytea NOT NULL,
    status        smallint NOT NULL,
    response_body bytea NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Events written in the same transaction as the change; a relay publishes them.
CREATE TABLE outbox (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL,
    event_type    text NOT NULL,
    payload       jsonb NOT NULL,
    created_at    timestamptz NOT NULL,
    claimed_until timestamptz,
    published_at  timestamptz
);
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE published_at IS NULL;
