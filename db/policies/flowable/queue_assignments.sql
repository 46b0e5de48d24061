-- Grants on flowable.queue_assignments: configuration every active person and report may read;
-- changed by administrators and deployment functions only.
GRANT SELECT ON flowable.queue_assignments TO pgwf_app, pgwf_reporting;

-- Shared, not private, yet read only by someone the database believes: an active identity (a
-- login with no identity, an unknown or a deactivated user reads nothing), the reporting role,
-- and the owner the engine and the administration functions run as.
ALTER TABLE flowable.queue_assignments ENABLE ROW LEVEL SECURITY;
ALTER TABLE flowable.queue_assignments FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON flowable.queue_assignments TO pgwf_owner USING (true) WITH CHECK (true);
CREATE POLICY person_read ON flowable.queue_assignments FOR SELECT TO pgwf_app
    USING ((SELECT entitlements.current_active_user_id()) IS NOT NULL);
CREATE POLICY reporting_read ON flowable.queue_assignments FOR SELECT TO pgwf_reporting USING (true);
COMMENT ON POLICY person_read ON flowable.queue_assignments IS
    'Every active person reads it (entitlements.current_active_user_id() is set); no identity, an unknown or a deactivated user: no rows.';
COMMENT ON POLICY reporting_read ON flowable.queue_assignments IS
    'pgwf_reporting reads every row (the reporting views run with the reader''s rights).';
