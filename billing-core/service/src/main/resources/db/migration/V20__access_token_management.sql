-- Polar's /v1/organization-access-tokens: a comment, an optional expiry and a modification time per
-- token. A revoked (Polar: deleted) token keeps its row, revoked_at set, so audit events that name
-- it still resolve; it answers 401 from the moment its revocation commits.

ALTER TABLE organization_access_tokens
    ADD COLUMN comment     text NOT NULL DEFAULT '',
    ADD COLUMN expires_at  timestamptz,
    ADD COLUMN modified_at timestamptz;
