-- Receipt metadata. The bytes live in S3 under object_key, which the service makes
-- (users/{user_id}/receipts/{id}); never from a file name.

CREATE TABLE receipts (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL,
    expense_id   uuid NOT NULL,
    object_key   text NOT NULL,
    content_type text NOT NULL,
    size         bigint NOT NULL CHECK (size > 0),
    sha256       text NOT NULL,
    status       text NOT NULL CHECK (status IN ('pending', 'uploaded')),
    created_at   timestamptz NOT NULL,
    uploaded_at  timestamptz
);
CREATE INDEX receipts_user_expense_idx ON receipts (user_id, expense_id);
CREATE INDEX receipts_pending_idx ON receipts (created_at) WHERE status = 'pending';
