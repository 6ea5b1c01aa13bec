-- Receipt metadata. The bytes live in S3 (or the embedded S3-compatible store) under
-- object_key, which the service makes (users/{user_id}/receipts/{id}); never from a file name.
-- UUIDs are BLOBs, timestamps INTEGER microseconds since the epoch.

CREATE TABLE receipts (
    id           BLOB PRIMARY KEY,
    user_id      BLOB NOT NULL,
    expense_id   BLOB NOT NULL,
    object_key   TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL CHECK (size > 0),
    sha256       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'uploaded')),
    created_at   INTEGER NOT NULL,
    uploaded_at  INTEGER
) STRICT;
CREATE INDEX receipts_user_expense_idx ON receipts (user_id, expense_id);
CREATE INDEX receipts_pending_idx ON receipts (created_at) WHERE status = 'pending';
