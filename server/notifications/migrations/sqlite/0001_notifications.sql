-- SQLite form: UUIDs are BLOBs, timestamps INTEGER microseconds, dates TEXT 'YYYY-MM-DD',
-- booleans INTEGER 0/1, JSON as TEXT.
-- The notifications service keeps its own copy of what it needs, built from events: expenses
-- (amount, currency, category, day) and budgets. It never reads another service's tables.

-- Events already applied (consumers are idempotent by event id).
CREATE TABLE processed_events (
    event_id     BLOB PRIMARY KEY,
    processed_at INTEGER NOT NULL
) STRICT;

-- Expenses as of their latest version; deleted ones kept as tombstones so a late, older event
-- cannot bring them back.
CREATE TABLE expense_copies (
    id           BLOB PRIMARY KEY,
    user_id      BLOB NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    category     TEXT NOT NULL,
    spent_on     TEXT NOT NULL,
    version      INTEGER NOT NULL,
    deleted      INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX expense_copies_user_idx ON expense_copies (user_id, spent_on);

CREATE TABLE budget_copies (
    user_id       BLOB NOT NULL,
    category      TEXT NOT NULL,
    amount_minor  INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    exponent      INTEGER NOT NULL,
    starts_on_day INTEGER NOT NULL,
    PRIMARY KEY (user_id, category)
) STRICT;

CREATE TABLE settings (
    user_id         BLOB PRIMARY KEY,
    email           TEXT,
    budget_alerts   INTEGER NOT NULL,
    monthly_summary INTEGER NOT NULL,
    thresholds      TEXT NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;

-- One row per threshold crossed in a budget's period: at most one alert each. Deleted when
-- spending falls back under the threshold, which re-arms it.
CREATE TABLE alerts_fired (
    user_id      BLOB NOT NULL,
    category     TEXT NOT NULL,
    period_start TEXT NOT NULL,
    threshold    INTEGER NOT NULL,
    fired_at     INTEGER NOT NULL,
    PRIMARY KEY (user_id, category, period_start, threshold)
) STRICT;

CREATE TABLE notifications (
    id         BLOB PRIMARY KEY,
    user_id    BLOB NOT NULL,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    data       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at    INTEGER
) STRICT;
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);

-- One monthly summary per user and month. sending_since is set (claimed) just before the e-mail
-- is handed to the mailer and cleared if the mailer refuses it; mailed_at once it went out. A
-- claim without mailed_at means a run died while sending: see docs/notifications.md.
CREATE TABLE monthly_summaries (
    user_id         BLOB NOT NULL,
    month           TEXT NOT NULL,
    notification_id BLOB NOT NULL,
    created_at      INTEGER NOT NULL,
    sending_since   INTEGER,
    mailed_at       INTEGER,
    PRIMARY KEY (user_id, month)
) STRICT;

CREATE TABLE webhooks (
    id         BLOB PRIMARY KEY,
    user_id    BLOB NOT NULL,
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX webhooks_user_idx ON webhooks (user_id);

CREATE TABLE webhook_deliveries (
    id              BLOB PRIMARY KEY,
    webhook_id      BLOB NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    user_id         BLOB NOT NULL,
    event           TEXT NOT NULL,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    claimed_until   INTEGER,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER
) STRICT;
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, id DESC);
