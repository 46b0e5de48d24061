-- The pgwf identity of the current transaction: app.current_user_id when the database may believe
-- it, else NULL. Believed when the session's login is a trusted caller (a member of
-- pgwf_trusted_caller: the API's own login, operators; superusers) or when
-- entitlements.authenticate / act_as signed it in this transaction. Used by every policy and by
-- every function that acts for a person.
CREATE OR REPLACE FUNCTION entitlements.current_user_id()
RETURNS varchar
LANGUAGE sql
STABLE
PARALLEL SAFE
AS $$
    -- one expression, so the planner inlines it into the policies; the signature is checked
    -- only for a login that is not trusted
    SELECT CASE
        WHEN NULLIF(pg_catalog.current_setting('app.current_user_id', true), '') IS NULL THEN NULL
        WHEN pg_catalog.pg_has_role(session_user, 'pgwf_trusted_caller', 'MEMBER')
             OR entitlements.identity_proven(pg_catalog.current_setting('app.current_user_id', true))
            THEN pg_catalog.current_setting('app.current_user_id', true)::varchar
    END;
$$;

COMMENT ON FUNCTION entitlements.current_user_id() IS
    'The user_id in app.current_user_id for this transaction when it may be believed: the session''s login is a trusted caller (member of pgwf_trusted_caller, or a superuser), or entitlements.authenticate / act_as signed it in this transaction. NULL when unset, empty, or asserted by any other login (then policies show nothing and the task service refuses with PW401).';

REVOKE ALL ON FUNCTION entitlements.current_user_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entitlements.current_user_id() TO pgwf_app, pgwf_worker, pgwf_reporting;
