-- marginal.access.analysts: which organisation's rows each analyst user may read.
--
-- Trino's access rules (trino/rules.json) filter every table and view in raw, analytics and reports
-- with  organization_id IN (SELECT organization_id FROM marginal.access.analysts
--                           WHERE user_name = current_user)
-- so a new organisation or analyst is a row here, written by the platform user
-- (`bin/marginal analyst <user> <organization>`), and needs no rules change or restart. A user
-- with no row sees no rows. An analyst may read only its own rows of this table.
CREATE SCHEMA IF NOT EXISTS marginal.access;

CREATE TABLE IF NOT EXISTS marginal.access.analysts (
    user_name        varchar NOT NULL,
    organization_id  varchar NOT NULL
)
WITH (format_version = 2);
