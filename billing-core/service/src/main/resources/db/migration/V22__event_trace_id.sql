-- The trace id of the ingest request that wrote each event (W3C traceparent's trace id, else the
-- X-Request-Id the request was logged with), so an operator can follow one event from the HTTP log
-- line through its CDC record (the column travels in marginal.cdc.events with the rest of the row).
-- Nullable and without a default: adding it rewrites nothing, and the previous release, which does
-- not name it, keeps inserting (expand/contract). No index: ingest is the hot path, and an event is
-- looked up by id or external_id first; its trace id then finds the log lines.
ALTER TABLE events ADD COLUMN trace_id text;
