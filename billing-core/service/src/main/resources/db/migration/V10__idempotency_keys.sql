-- Stripe's idempotency keys: the first request with a key runs and its response is kept; a replay
-- gets that response back, and the same key with another request is a 409. The row is inserted
-- first, in the request's own transaction, so of concurrent duplicates exactly one runs: the
-- others wait on the primary key and then read what it answered.

CREATE TABLE idempotency_keys (
    organization_id  uuid        NOT NULL REFERENCES organizations (id),
    key              text        NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    -- what the key was used for: method and route, and a SHA-256 of the request body
    route            text        NOT NULL,
    request_hash     text        NOT NULL,
    response_status  integer,
    response_body    text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organization_id, key)
);
