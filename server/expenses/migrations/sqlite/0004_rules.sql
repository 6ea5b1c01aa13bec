-- Categorisation rules, per user: an expense recorded without a category gets the category (and
-- tags) of the first rule, by position, that matches it. Positions are 1, 2, 3 … without gaps;
-- amount bounds are in units of 10^-4 of the expense's currency, exact, never a float. See
-- docs/rules.md. Types as in 0001.

CREATE TABLE rules (
    id            BLOB PRIMARY KEY,
    user_id       BLOB NOT NULL,
    -- Renumbering passes through negative positions (the constraint below is checked row by row).
    position      INTEGER NOT NULL,
    merchant      TEXT,
    note_pattern  TEXT,
    amount_min    INTEGER,
    amount_max    INTEGER,
    category      TEXT NOT NULL,
    tags          TEXT NOT NULL DEFAULT '[]',
    created_at    INTEGER NOT NULL,
    CONSTRAINT rules_match_something CHECK (merchant IS NOT NULL OR note_pattern IS NOT NULL),
    CONSTRAINT rules_bounds_in_order CHECK (amount_min IS NULL OR amount_max IS NULL OR amount_min <= amount_max),
    -- Also the list order.
    CONSTRAINT rules_one_per_position UNIQUE (user_id, position)
) STRICT;
