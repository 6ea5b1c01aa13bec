-- Recurring expenses: schedules, and the occurrences already recorded as expenses.
-- See docs/recurring.md for the rules.

CREATE TABLE recurring_schedules (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL,
    amount_minor bigint NOT NULL,
    currency     char(3) NOT NULL,
    exponent     smallint NOT NULL CHECK (exponent BETWEEN 0 AND 4),
    category     text NOT NULL,
    note         text,
    merchant     text,
    tags         text[] NOT NULL DEFAULT '{}',
    every        text NOT NULL CHECK (every IN ('day', 'week', 'month', 'year')),
    -- weekday 1..7 for 'week', day of the month 1..31 for 'month' and 'year', null for 'day'
    on_day       smallint CHECK (on_day BETWEEN 1 AND 31),
    starts_on    date NOT NULL,
    ends_on      date CHECK (ends_on >= starts_on),
    paused       boolean NOT NULL DEFAULT false,
    -- every day up to this one has been considered: its occurrences recorded, or skipped (paused)
    done_through date NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX recurring_schedules_user_idx ON recurring_schedules (user_id, id);
-- What the materialiser looks for: running schedules behind today.
CREATE INDEX recurring_schedules_due_idx ON recurring_schedules (done_through) WHERE NOT paused;

-- One row per occurrence recorded: the key is what makes an occurrence an expense exactly once,
-- whichever replica records it and however often.
CREATE TABLE recurring_occurrences (
    schedule_id uuid NOT NULL REFERENCES recurring_schedules (id) ON DELETE CASCADE,
    occurs_on   date NOT NULL,
    expense_id  uuid NOT NULL,
    CONSTRAINT recurring_occurrences_once PRIMARY KEY (schedule_id, occurs_on)
);

-- The schedule that recorded the expense (null for an expense recorded by hand).
ALTER TABLE expenses ADD COLUMN recurring_id uuid;
