-- Grants on flowable.workflow_definitions: configuration every application user and report may read;
-- changed by administrators and deployment functions only (no RLS: nothing in it is private).
GRANT SELECT ON flowable.workflow_definitions TO pgwf_app, pgwf_reporting;
