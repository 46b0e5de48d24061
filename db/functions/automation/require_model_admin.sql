-- The permission check of the model checkers people call directly (validate_workflow_graph,
-- flowable.bpmn_compile, bpmn_to_graph, bpmn_check): a person needs workflow_admin, refused with
-- PW401/PW403 (automation.require_workflow_admin) before any work. Not checked again when one of
-- pgwf's own SECURITY DEFINER functions calls them (current_user is pgwf_owner: save_workflow,
-- deploy_bpmn checked their caller), nor for a superuser session acting as nobody (a DBA's tools).
CREATE OR REPLACE FUNCTION automation.require_model_admin(p_action text)
RETURNS void
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF current_user = 'pgwf_owner' THEN
        RETURN;
    END IF;
    IF entitlements.current_user_id() IS NULL
       AND (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) THEN
        RETURN;
    END IF;
    PERFORM automation.require_workflow_admin(p_action);
END;
$$;

COMMENT ON FUNCTION automation.require_model_admin(text) IS
    'PW401/PW403 (require_workflow_admin) unless the caller holds workflow_admin; passes pgwf''s own functions (current_user pgwf_owner) and a superuser without an identity. Called first by the model checkers people call.';

REVOKE ALL ON FUNCTION automation.require_model_admin(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.require_model_admin(text) TO pgwf_app;
