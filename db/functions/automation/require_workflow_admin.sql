-- The identity of a person changing workflow models or versions, or an error: PW401 without an
-- identity, PW403 unless they hold the workflow_admin role (automation.user_holds_role, the same
-- check engine_control_run applies to other people's runs). Called at the top of save_workflow,
-- deploy_workflow, save_trigger, flowable.deploy_process, bpmn_activate_version and bpmn_delete_version,
-- and through require_model_admin by the model checkers.
CREATE OR REPLACE FUNCTION automation.require_workflow_admin(p_action text)
RETURNS varchar
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_user varchar := entitlements.current_user_id();
BEGIN
    IF v_user IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW401', MESSAGE = format('%s needs an identity (app.current_user_id)', p_action);
    END IF;
    IF NOT automation.user_holds_role(v_user, 'workflow_admin') THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403',
            MESSAGE = format('user %s may not %s: it needs the workflow_admin permission', v_user, p_action),
            HINT = 'Grant the user the workflow role workflow_admin (entitlements.user_workflow_roles).';
    END IF;
    RETURN v_user;
END;
$$;

COMMENT ON FUNCTION automation.require_workflow_admin(text) IS
    'Returns app.current_user_id when that user holds the workflow_admin role now (automation.user_holds_role); PW401 without an identity, PW403 naming the workflow_admin permission otherwise. Internal to the model-changing functions.';

REVOKE ALL ON FUNCTION automation.require_workflow_admin(text) FROM PUBLIC;
-- reached by people through require_model_admin (an invoker function); it only reads who they are
GRANT EXECUTE ON FUNCTION automation.require_workflow_admin(text) TO pgwf_app;
