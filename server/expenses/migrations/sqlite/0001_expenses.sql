-- Expenses, budgets, idempotency keys and the outbox of the expenses service.
-- Money is integer minor units plus the currency and its exponent (ISO 4217); never a float.
-- UUIDs are 16-byte BLOBs, timestamps INTEGER microseconds since the epoch, dates TEXT
-- 'YYYY-MM-DD' (which sorts as dates do), tags a JSON array of strings.

CREATE TABLE expenses (
    id           BLOB PRIMARY KEY,
    user_id      BLOB NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    exponent     INTEGER NOT NULL CHECK (exponent BETWEEN 0 AND 4),
    category     TEXT NOT NULL,
    note         TEXT,
    merchant     TEXT,
    search_text  TEXT NOT NULL,
    spent_on     TEXT NOT NULL,
    tags         TEXT NOT NULL DEFAULT '[]',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL
) STRICT;
CREATE INDEX expenses_user_spent_idx ON expenses (user_id, spent_on DESC, id DESC);
CREATE INDEX expenses_user_category_idx ON expenses (user_id, category);

CREATE TABLE budgets (
    user_id       BLOB NOT NULL,
    category      TEXT NOT NULL,
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    currency      TEXT NOT NULL,
    exponent      INTEGER NOT NULL,
    period        TEXT NOT NULL CHECK (period = 'monthly'),
    starts_on_day INTEGER NOT NULL CHECK (starts_on_day BETWEEN 1 AND 28),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (user_id, category)
) STRICT;

CREATE TABLE idempotency_keys (
    user_id       BLOB NOT NULL,
    key           TEXT NOT NULL,
    request_hash  BLOB NOT NULL,
    status        INTEGER NOT NULL,
    response_body BLOB NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
) STRICT;
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

CREATE TABLE outbox (
    id            BLOB PRIMARY KEY,
    user_id       BLOB NOT NULL,
    event_type    TEXT NOT NULL,
    payload       TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    claimed_until INTEGER,
    published_at  INTEGER
) STRICT;
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE published_at IS NULL;
