-- Categorisation rules, per user: an expense recorded without a category gets the category (and
-- tags) of the first rule, by position, that matches it. Positions are 1, 2, 3 … without gaps;
-- amount bounds are in units of 10^-4 of the expense's currency, exact, never a float. See
-- docs/rules.md.

CREATE TABLE rules (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL,
    -- Renumbering passes through negative positions (the constraint below is checked row by row).
    position      integer NOT NULL,
    merchant      text,
    note_pattern  text,
    amount_min    bigint,
    amount_max    bigint,
    category      text NOT NULL,
    tags          text[] NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL,
    CONSTRAINT rules_match_something CHECK (merchant IS NOT NULL OR note_pattern IS NOT NULL),
    CONSTRAINT rules_bounds_in_order CHECK (amount_min IS NULL OR amount_max IS NULL OR amount_min <= amount_max),
    -- Also the list order.
    CONSTRAINT rules_one_per_position UNIQUE (user_id, position)
);
