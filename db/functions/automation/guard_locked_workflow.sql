-- Trigger function of the *_immutable triggers: a workflow version that is deployed or has runs
-- keeps its graph. Its nodes and edges cannot be inserted, changed or deleted, nor its
-- workflow_data, configuration, version or key changed, by any path (save_workflow makes a new
-- version instead). Its name, description, category, tags and is_active stay editable.
CREATE OR REPLACE FUNCTION automation.guard_locked_workflow()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_workflow_id uuid;
    v_old_workflow_id uuid;
BEGIN
    -- the row's workflow version (old and new, for an edge or node moved between versions)
    IF TG_TABLE_NAME = 'workflows' THEN
        v_workflow_id := OLD.id;
    ELSIF TG_OP = 'DELETE' THEN
        v_workflow_id := OLD.workflow_id;
    ELSE
        v_workflow_id := NEW.workflow_id;
        IF TG_OP = 'UPDATE' THEN
            v_old_workflow_id := OLD.workflow_id;
        END IF;
    END IF;
    IF automation.is_workflow_locked(v_workflow_id)
       OR (v_old_workflow_id IS NOT NULL AND automation.is_workflow_locked(v_old_workflow_id)) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('workflow version %s is deployed or has runs: its %s cannot be changed',
                             COALESCE(v_old_workflow_id, v_workflow_id),
                             CASE TG_TABLE_NAME WHEN 'workflows' THEN 'graph, configuration, version and key'
                                                WHEN 'workflow_nodes' THEN 'nodes' ELSE 'edges' END),
            HINT = 'Save it with automation.save_workflow: that makes a new version.';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION automation.guard_locked_workflow() IS
    'BEFORE trigger on workflows (graph, configuration, version, key), workflow_nodes and workflow_edges: PW409 when the workflow version is deployed or has runs.';

REVOKE ALL ON FUNCTION automation.guard_locked_workflow() FROM PUBLIC;
