-- pgwf 0001: the group roles (cluster-wide, created only if missing), the
-- database privileges the owner role needs, and the four schemas.
DO $roles$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['pgwf_owner', 'pgwf_app', 'pgwf_worker', 'pgwf_reporting']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = v_role) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', v_role);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END;
        END IF;
    END LOOP;
    EXECUTE format('GRANT CREATE, CONNECT, TEMPORARY ON DATABASE %I TO pgwf_owner', current_database());
END
$roles$;

SET LOCAL ROLE pgwf_owner;

-- Functions pgwf_owner creates are not executable by PUBLIC unless granted.
ALTER DEFAULT PRIVILEGES FOR ROLE pgwf_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

CREATE SCHEMA entitlements;
COMMENT ON SCHEMA entitlements IS 'pgwf: departments, users, workflow roles and their assignment to users, API tokens';

CREATE SCHEMA flowable;
COMMENT ON SCHEMA flowable IS 'pgwf: process definitions and instances, queues, user tasks, task history, variables';

CREATE SCHEMA onecms;
COMMENT ON SCHEMA onecms IS 'pgwf: cases and the process instances that route them';

CREATE SCHEMA automation;
COMMENT ON SCHEMA automation IS 'pgwf: automation workflow models, triggers, runs, step executions, approvals, notification outbox';

RESET ROLE;
