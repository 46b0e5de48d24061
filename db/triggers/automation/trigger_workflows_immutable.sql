-- A deployed or run workflow version keeps its graph, configuration, version and key.
CREATE TRIGGER trigger_workflows_immutable
    BEFORE UPDATE ON automation.workflows
    FOR EACH ROW
    WHEN (OLD.workflow_data IS DISTINCT FROM NEW.workflow_data OR OLD.configuration IS DISTINCT FROM NEW.configuration
          OR OLD.version IS DISTINCT FROM NEW.version OR OLD.workflow_key IS DISTINCT FROM NEW.workflow_key)
    EXECUTE FUNCTION automation.guard_locked_workflow();

COMMENT ON TRIGGER trigger_workflows_immutable ON automation.workflows IS
    'Refuses (PW409) a change of the graph, configuration, version or key of a deployed or run version (automation.guard_locked_workflow).';
