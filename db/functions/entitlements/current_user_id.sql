-- The pgwf identity of the current transaction: app.current_user_id, or NULL when it is
-- unset or empty. Used by every policy and by the task service functions.
CREATE OR REPLACE FUNCTION entitlements.current_user_id()
RETURNS varchar
LANGUAGE sql
STABLE
PARALLEL SAFE
AS $$
    SELECT NULLIF(pg_catalog.current_setting('app.current_user_id', true), '')::varchar;
$$;

COMMENT ON FUNCTION entitlements.current_user_id() IS
    'The user_id the application set in app.current_user_id for this transaction; NULL when unset or empty (then policies show nothing and the task service refuses with PW401).';

REVOKE ALL ON FUNCTION entitlements.current_user_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entitlements.current_user_id() TO pgwf_app, pgwf_worker, pgwf_reporting;
