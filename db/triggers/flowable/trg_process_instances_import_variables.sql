-- Imports direct writes of process_instances.variables into workflow_variables.
CREATE TRIGGER trg_process_instances_import_variables
    AFTER INSERT OR UPDATE OF variables ON flowable.process_instances
    FOR EACH ROW EXECUTE FUNCTION flowable.import_process_variables();

COMMENT ON TRIGGER trg_process_instances_import_variables ON flowable.process_instances IS
    'A write of process_instances.variables (e.g. the start variables) becomes typed rows of workflow_variables.';
