-- Exchange rates, per user: one from_currency was worth rate_mantissa / 10^rate_scale
-- to_currency on rate_on. Exact, never a float; at most one rate per pair and day, a new one
-- replaces it. See docs/money.md, "Totals in one currency".

CREATE TABLE rates (
    user_id       uuid NOT NULL,
    from_currency char(3) NOT NULL,
    to_currency   char(3) NOT NULL CHECK (to_currency <> from_currency),
    rate_on       date NOT NULL,
    rate_mantissa bigint NOT NULL CHECK (rate_mantissa > 0),
    rate_scale    smallint NOT NULL CHECK (rate_scale BETWEEN 0 AND 12),
    recorded_at   timestamptz NOT NULL,
    -- Also what a conversion looks a pair's latest rate up by.
    CONSTRAINT rates_one_per_pair_and_day PRIMARY KEY (user_id, from_currency, to_currency, rate_on)
);
-- The list: newest day first.
CREATE INDEX rates_user_day_idx ON rates (user_id, rate_on DESC);
