-- Who may start a workflow version by hand: when the version names its starters (a BPMN
-- process's candidateStarterGroups / candidateStarterUsers in flowable.workflow_definitions
-- .start_rules, a drawn model's configuration.starterRoles / starterUsers) only those users and
-- holders (now) of those roles; when it names none, any active user. Called by
-- automation.start_workflow and flowable.start_process; PW403 naming the rule otherwise.
CREATE OR REPLACE FUNCTION automation.require_starter(p_workflow_id uuid, p_user_id varchar, p_what text)
RETURNS void
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_groups jsonb;
    v_users jsonb;
BEGIN
    SELECT COALESCE(d.start_rules -> 'candidateStarterGroups', w.configuration -> 'starterRoles', '[]'::jsonb),
           COALESCE(d.start_rules -> 'candidateStarterUsers', w.configuration -> 'starterUsers', '[]'::jsonb)
      INTO v_groups, v_users
      FROM automation.workflows w
      LEFT JOIN flowable.workflow_definitions d ON d.deployment_id = w.id::text
     WHERE w.id = p_workflow_id;
    IF NOT FOUND OR jsonb_typeof(v_groups) <> 'array' OR jsonb_typeof(v_users) <> 'array'
       OR jsonb_array_length(v_groups) + jsonb_array_length(v_users) = 0 THEN
        RETURN;  -- no such version (the caller says so) or no starters named: anyone active
    END IF;
    IF v_users ? p_user_id OR EXISTS (SELECT 1 FROM entitlements.current_grants g
                                      WHERE g.user_id = p_user_id AND v_groups ? g.role_code) THEN
        RETURN;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'PW403',
        MESSAGE = format('user %s may not start %s', p_user_id, p_what),
        DETAIL = format('it names who may start it: roles %s, users %s', v_groups, v_users),
        HINT = 'A holder of one of those roles, or one of those users, starts it.';
END;
$$;

COMMENT ON FUNCTION automation.require_starter(uuid, varchar, text) IS
    'PW403 unless p_user_id may start the workflow version: its starters (BPMN start_rules candidateStarterGroups/Users, or a drawn model''s configuration.starterRoles/starterUsers) name the user or a role they hold now; no starters named: anyone. Internal to start_workflow and start_process.';

REVOKE ALL ON FUNCTION automation.require_starter(uuid, varchar, text) FROM PUBLIC;
