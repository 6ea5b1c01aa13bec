-- Budgets in a home currency (`convert`), and the user's exchange rates that alert on them: a copy
-- built from `rates.recorded` and `rate.deleted` events, as the expenses service keeps them
-- (docs/money.md, "Budgets in a home currency"). A deleted rate stays as a tombstone, so that a
-- late, older event cannot bring it back; `changed_at` orders the changes of one pair and day.
ALTER TABLE budget_copies ADD COLUMN convert_foreign INTEGER NOT NULL DEFAULT 0;

CREATE TABLE rate_copies (
    user_id       BLOB NOT NULL,
    from_currency TEXT NOT NULL,
    to_currency   TEXT NOT NULL,
    rate_on       TEXT NOT NULL,
    rate_mantissa INTEGER NOT NULL,
    rate_scale    INTEGER NOT NULL,
    changed_at    INTEGER NOT NULL,
    deleted       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, from_currency, to_currency, rate_on)
) STRICT;
