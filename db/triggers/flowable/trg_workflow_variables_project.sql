-- Mirrors process-scope variables into process_instances.variables.
CREATE TRIGGER trg_workflow_variables_project
    AFTER INSERT OR UPDATE OR DELETE ON flowable.workflow_variables
    FOR EACH ROW EXECUTE FUNCTION flowable.project_process_variables();

COMMENT ON TRIGGER trg_workflow_variables_project ON flowable.workflow_variables IS
    'Keeps process_instances.variables equal to the run''s process-scope variables (workflow_variables is the source of truth).';
