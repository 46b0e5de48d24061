-- The cluster-level group roles pgwf's grants are written against.
-- Run by migration 0001 (pgwf_trusted_caller: 0019) and by the db/ reference build; safe to run again and
-- in several databases of one cluster (existing roles are left as they are).
DO $roles$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['pgwf_owner', 'pgwf_app', 'pgwf_worker', 'pgwf_reporting', 'pgwf_trusted_caller']
    LOOP
        -- a loop because CREATE ROLE takes no set; five statements at most
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = v_role) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', v_role);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- created by a concurrent session meanwhile
            END;
        END IF;
    END LOOP;
END
$roles$;
