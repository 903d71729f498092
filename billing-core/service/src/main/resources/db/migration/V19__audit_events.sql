-- The audit log: one row per mutation, written in the mutation's own transaction (AuditLog.record
-- requires one), so a change without its row cannot commit. Stripe-like naming: audit events with
-- an action ("subscription.updated"), a subject, the state before and after, who did it and the
-- request it came in. Append-only, like the ledger.

CREATE TABLE audit_events (
    id               uuid        PRIMARY KEY,
    -- null only for platform-wide changes (FX rates)
    organization_id  uuid        REFERENCES organizations (id),
    actor_type       text        NOT NULL CHECK (actor_type IN ('access_token', 'platform', 'system')),
    token_id         uuid        REFERENCES organization_access_tokens (id),
    action           text        NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
    subject_type     text        NOT NULL,
    subject_id       text,
    before           jsonb,
    after            jsonb,
    request_id       text,
    -- the transaction's time: every row of one mutation has the same
    occurred_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((actor_type = 'access_token') = (token_id IS NOT NULL))
);

-- Newest first, per organisation: the API's cursor is the uuid7 id (time-ordered).
CREATE INDEX audit_events_organization_id ON audit_events (organization_id, id DESC);
CREATE INDEX audit_events_subject ON audit_events (organization_id, subject_type, subject_id);

CREATE FUNCTION audit_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END $$;

CREATE TRIGGER audit_events_are_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_are_append_only();
CREATE TRIGGER audit_events_are_never_truncated BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_are_append_only();
