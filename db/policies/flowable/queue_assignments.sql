-- Grants on flowable.queue_assignments: configuration every application user and report may read;
-- changed by administrators and deployment functions only (no RLS: nothing in it is private).
GRANT SELECT ON flowable.queue_assignments TO pgwf_app, pgwf_reporting;
