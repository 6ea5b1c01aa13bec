-- Exchange rates, per user: one from_currency was worth rate_mantissa / 10^rate_scale
-- to_currency on rate_on. Exact, never a float; at most one rate per pair and day, a new one
-- replaces it. See docs/money.md, "Totals in one currency". Types as in 0001.

CREATE TABLE rates (
    user_id       BLOB NOT NULL,
    from_currency TEXT NOT NULL,
    to_currency   TEXT NOT NULL CHECK (to_currency <> from_currency),
    rate_on       TEXT NOT NULL,
    rate_mantissa INTEGER NOT NULL CHECK (rate_mantissa > 0),
    rate_scale    INTEGER NOT NULL CHECK (rate_scale BETWEEN 0 AND 12),
    recorded_at   INTEGER NOT NULL,
    -- Also what a conversion looks a pair's latest rate up by.
    CONSTRAINT rates_one_per_pair_and_day PRIMARY KEY (user_id, from_currency, to_currency, rate_on)
) STRICT, WITHOUT ROWID;
-- The list: newest day first.
CREATE INDEX rates_user_day_idx ON rates (user_id, rate_on DESC);
