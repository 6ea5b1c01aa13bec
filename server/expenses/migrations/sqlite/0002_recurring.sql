-- Recurring expenses: schedules, and the occurrences already recorded as expenses.
-- See docs/recurring.md for the rules. Types as in 0001.

CREATE TABLE recurring_schedules (
    id           BLOB PRIMARY KEY,
    user_id      BLOB NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    exponent     INTEGER NOT NULL CHECK (exponent BETWEEN 0 AND 4),
    category     TEXT NOT NULL,
    note         TEXT,
    merchant     TEXT,
    tags         TEXT NOT NULL DEFAULT '[]',
    every        TEXT NOT NULL CHECK (every IN ('day', 'week', 'month', 'year')),
    -- weekday 1..7 for 'week', day of the month 1..31 for 'month' and 'year', null for 'day'
    on_day       INTEGER CHECK (on_day BETWEEN 1 AND 31),
    starts_on    TEXT NOT NULL,
    ends_on      TEXT CHECK (ends_on >= starts_on),
    paused       INTEGER NOT NULL DEFAULT 0,
    -- every day up to this one has been considered: its occurrences recorded, or skipped (paused)
    done_through TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX recurring_schedules_user_idx ON recurring_schedules (user_id, id);
CREATE INDEX recurring_schedules_due_idx ON recurring_schedules (done_through) WHERE paused = 0;

-- One row per occurrence recorded: the key makes an occurrence an expense exactly once.
CREATE TABLE recurring_occurrences (
    schedule_id BLOB NOT NULL REFERENCES recurring_schedules (id) ON DELETE CASCADE,
    occurs_on   TEXT NOT NULL,
    expense_id  BLOB NOT NULL,
    CONSTRAINT recurring_occurrences_once PRIMARY KEY (schedule_id, occurs_on)
) STRICT, WITHOUT ROWID;

-- The schedule that recorded the expense (null for an expense recorded by hand).
ALTER TABLE expenses ADD COLUMN recurring_id BLOB;
