-- Trigger function: keeps process_instances.variables equal to the run's process-scope rows of
-- workflow_variables (the source of truth). Attached by trg_workflow_variables_project.
CREATE OR REPLACE FUNCTION flowable.project_process_variables()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF pg_catalog.current_setting('pgwf.syncing_variables', true) = 'on' THEN
        RETURN NULL;  -- this change is itself the import of process_instances.variables
    END IF;
    PERFORM pg_catalog.set_config('pgwf.syncing_variables', 'on', true);
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.task_id IS NULL
       AND (TG_OP = 'DELETE' OR OLD.variable_name <> NEW.variable_name OR NEW.task_id IS NOT NULL) THEN
        UPDATE flowable.process_instances
        SET variables = COALESCE(variables, '{}'::jsonb) - OLD.variable_name::text
        WHERE process_instance_id = OLD.process_instance_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.task_id IS NULL THEN
        UPDATE flowable.process_instances
        SET variables = COALESCE(variables, '{}'::jsonb)
                        || pg_catalog.jsonb_build_object(NEW.variable_name, COALESCE(NEW.variable_json, 'null'::jsonb))
        WHERE process_instance_id = NEW.process_instance_id;
    END IF;
    PERFORM pg_catalog.set_config('pgwf.syncing_variables', 'off', true);
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION flowable.project_process_variables() IS
    'AFTER trigger on flowable.workflow_variables: copies each process-scope variable (name: variable_json) into process_instances.variables and removes deleted ones, so the JSON column always mirrors the typed rows.';

REVOKE ALL ON FUNCTION flowable.project_process_variables() FROM PUBLIC;
