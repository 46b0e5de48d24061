-- Grants on flowable.workflow_queues: configuration every application user and report may read;
-- changed by administrators and deployment functions only (no RLS: nothing in it is private).
GRANT SELECT ON flowable.workflow_queues TO pgwf_app, pgwf_reporting;
