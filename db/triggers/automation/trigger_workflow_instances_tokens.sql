-- Deletes the tokens of deleted runs (workflow_tokens has no foreign key to its run, 0017).
CREATE TRIGGER trigger_workflow_instances_tokens
    AFTER DELETE ON automation.workflow_instances
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT
    EXECUTE FUNCTION automation.delete_run_tokens();

COMMENT ON TRIGGER trigger_workflow_instances_tokens ON automation.workflow_instances IS
    'Deletes the workflow_tokens rows of the runs a statement deleted (automation.delete_run_tokens).';
