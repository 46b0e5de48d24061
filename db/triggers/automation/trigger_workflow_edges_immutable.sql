-- The edges of a deployed or run workflow version cannot be added, changed or removed.
CREATE TRIGGER trigger_workflow_edges_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON automation.workflow_edges
    FOR EACH ROW
    EXECUTE FUNCTION automation.guard_locked_workflow();

COMMENT ON TRIGGER trigger_workflow_edges_immutable ON automation.workflow_edges IS
    'Refuses (PW409) any change to the edges of a deployed or run version (automation.guard_locked_workflow).';
