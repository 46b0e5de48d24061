-- Undo pgwf 0001: drop the four schemas with everything in them and take back
-- the owner's database privileges.  The group roles stay: other databases of
-- the cluster may use them.
DROP SCHEMA IF EXISTS automation CASCADE;
DROP SCHEMA IF EXISTS onecms CASCADE;
DROP SCHEMA IF EXISTS flowable CASCADE;
DROP SCHEMA IF EXISTS entitlements CASCADE;
ALTER DEFAULT PRIVILEGES FOR ROLE pgwf_owner GRANT EXECUTE ON FUNCTIONS TO PUBLIC;
DO $revoke$
BEGIN
    EXECUTE format('REVOKE CREATE, CONNECT, TEMPORARY ON DATABASE %I FROM pgwf_owner', current_database());
END
$revoke$;
