-- Grants on flowable.workflow_queues: configuration every active person and report may read;
-- changed by administrators and deployment functions only.
GRANT SELECT ON flowable.workflow_queues TO pgwf_app, pgwf_reporting;

-- Shared, not private, yet read only by someone the database believes: an active identity (a
-- login with no identity, an unknown or a deactivated user reads nothing), the reporting role,
-- and the owner the engine and the administration functions run as.
ALTER TABLE flowable.workflow_queues ENABLE ROW LEVEL SECURITY;
ALTER TABLE flowable.workflow_queues FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON flowable.workflow_queues TO pgwf_owner USING (true) WITH CHECK (true);
CREATE POLICY person_read ON flowable.workflow_queues FOR SELECT TO pgwf_app
    USING ((SELECT entitlements.current_active_user_id()) IS NOT NULL);
CREATE POLICY reporting_read ON flowable.workflow_queues FOR SELECT TO pgwf_reporting USING (true);
COMMENT ON POLICY person_read ON flowable.workflow_queues IS
    'Every active person reads it (entitlements.current_active_user_id() is set); no identity, an unknown or a deactivated user: no rows.';
COMMENT ON POLICY reporting_read ON flowable.workflow_queues IS
    'pgwf_reporting reads every row (the reporting views run with the reader''s rights).';
