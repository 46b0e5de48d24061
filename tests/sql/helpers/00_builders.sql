-- Fixture builders for pgTAP tests: small functions that make rows with
-- sensible defaults, so a test shows only what matters to it.
-- Loaded into schema "tests" of the test template database only.
CREATE OR REPLACE FUNCTION tests.as_user(p_user_id text)
RETURNS void LANGUAGE sql AS $$
    SELECT set_config('app.current_user_id', p_user_id, true);
$$;
COMMENT ON FUNCTION tests.as_user(text) IS 'Act as this pgwf user for the rest of the transaction.';

CREATE OR REPLACE FUNCTION tests.workflow_admin(p_user_id text)
RETURNS text LANGUAGE sql AS $$
    -- the user (made if missing) holds the workflow_admin role from yesterday on
    INSERT INTO entitlements.users (user_id, username, email)
    VALUES (p_user_id, p_user_id, p_user_id || '@example.org')
    ON CONFLICT (user_id) DO NOTHING;
    INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type)
    VALUES ('workflow_admin', 'Workflow administrator', 'SYSTEM')
    ON CONFLICT (role_code) DO NOTHING;
    INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by, valid_from)
    SELECT p_user_id, r.role_id, 'admin', now() - interval '1 day'
      FROM entitlements.workflow_roles r WHERE r.role_code = 'workflow_admin'
    ON CONFLICT (user_id, role_id) DO NOTHING;
    SELECT p_user_id;
$$;
COMMENT ON FUNCTION tests.workflow_admin(text) IS 'Make the user (created if missing) a holder of the workflow_admin role, which changing models and process versions needs; returns the user id.';
