-- Budgets in a home currency (`convert`), and the user's exchange rates that alert on them: a copy
-- built from `rates.recorded` and `rate.deleted` events, as the expenses service keeps them
-- (docs/money.md, "Budgets in a home currency"). A deleted rate stays as a tombstone, so that a
-- late, older event cannot bring it back; `changed_at` orders the changes of one pair and day.
ALTER TABLE budget_copies ADD COLUMN convert_foreign boolean NOT NULL DEFAULT false;

CREATE TABLE rate_copies (
    user_id       uuid NOT NULL,
    from_currency text NOT NULL,
    to_currency   text NOT NULL,
    rate_on       date NOT NULL,
    rate_mantissa bigint NOT NULL,
    rate_scale    smallint NOT NULL,
    changed_at    timestamptz NOT NULL,
    deleted       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (user_id, from_currency, to_currency, rate_on)
);
