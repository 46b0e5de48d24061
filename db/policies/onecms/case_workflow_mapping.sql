-- Who may read onecms.case_workflow_mapping: the mapping of runs the person may see
-- (process_instances policy). Kept current by the task service functions.
GRANT SELECT ON onecms.case_workflow_mapping TO pgwf_app;

ALTER TABLE onecms.case_workflow_mapping ENABLE ROW LEVEL SECURITY;
ALTER TABLE onecms.case_workflow_mapping FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON onecms.case_workflow_mapping
    TO pgwf_owner
    USING (true)
    WITH CHECK (true);

CREATE POLICY case_mapping_access_policy ON onecms.case_workflow_mapping
    FOR SELECT
    USING (
        EXISTS (SELECT 1 FROM flowable.process_instances p
                WHERE p.process_instance_id = case_workflow_mapping.process_instance_id)
    );

COMMENT ON POLICY case_mapping_access_policy ON onecms.case_workflow_mapping IS
    'A person sees the case mapping of runs they may see (process_access_policy). No identity: no rows.';
COMMENT ON POLICY engine_all ON onecms.case_workflow_mapping IS
    'The owner role (task service and engine functions) sees and writes every mapping.';
