-- A password change ends every earlier session. Each access token carries the generation of
-- sessions it was issued in (claim `sgen`); a change increments the account's generation (and
-- revokes its refresh tokens in the same transaction), so older access tokens are refused.
ALTER TABLE users ADD COLUMN session_generation integer NOT NULL DEFAULT 0;
