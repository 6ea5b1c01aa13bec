-- The notifications service keeps its own copy of what it needs, built from events: expenses
-- (amount, currency, category, day) and budgets. It never reads another service's tables.

-- Events already applied (consumers are idempotent by event id).
CREATE TABLE processed_events (
    event_id     uuid PRIMARY KEY,
    processed_at timestamptz NOT NULL
);

-- Expenses as of their latest version; deleted ones kept as tombstones so a late, older event
-- cannot bring them back.
CREATE TABLE expense_copies (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL,
    amount_minor bigint NOT NULL,
    currency     text NOT NULL,
    category     text NOT NULL,
    spent_on     date NOT NULL,
    version      bigint NOT NULL,
    deleted      boolean NOT NULL DEFAULT false
);
CREATE INDEX expense_copies_user_idx ON expense_copies (user_id, spent_on);

CREATE TABLE budget_copies (
    user_id       uuid NOT NULL,
    category      text NOT NULL,
    amount_minor  bigint NOT NULL,
    currency      text NOT NULL,
    exponent      smallint NOT NULL,
    starts_on_day smallint NOT NULL,
    PRIMARY KEY (user_id, category)
);

CREATE TABLE settings (
    user_id         uuid PRIMARY KEY,
    email           text,
    budget_alerts   boolean NOT NULL,
    monthly_summary boolean NOT NULL,
    thresholds      text NOT NULL,
    updated_at      timestamptz NOT NULL
);

-- One row per threshold crossed in a budget's period: at most one alert each. Deleted when
-- spending falls back under the threshold, which re-arms it.
CREATE TABLE alerts_fired (
    user_id      uuid NOT NULL,
    category     text NOT NULL,
    period_start date NOT NULL,
    threshold    smallint NOT NULL,
    fired_at     timestamptz NOT NULL,
    PRIMARY KEY (user_id, category, period_start, threshold)
);

CREATE TABLE notifications (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL,
    kind       text NOT NULL,
    title      text NOT NULL,
    body       text NOT NULL,
    data       jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    read_at    timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);

-- One monthly summary per user and month. sending_since is set (claimed) just before the e-mail
-- is handed to the mailer and cleared if the mailer refuses it; mailed_at once it went out. A
-- claim without mailed_at means a run died while sending: see docs/notifications.md.
CREATE TABLE monthly_summaries (
    user_id         uuid NOT NULL,
    month           text NOT NULL,
    notification_id uuid NOT NULL,
    created_at      timestamptz NOT NULL,
    sending_since   timestamptz,
    mailed_at       timestamptz,
    PRIMARY KEY (user_id, month)
);

CREATE TABLE webhooks (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL,
    url        text NOT NULL,
    secret     text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX webhooks_user_idx ON webhooks (user_id);

CREATE TABLE webhook_deliveries (
    id              uuid PRIMARY KEY,
    webhook_id      uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    user_id         uuid NOT NULL,
    event           text NOT NULL,
    payload         text NOT NULL,
    status          text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        integer NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    claimed_until   timestamptz,
    last_status     integer,
    last_error      text,
    created_at      timestamptz NOT NULL,
    delivered_at    timestamptz
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, id DESC);
