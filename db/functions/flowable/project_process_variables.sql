-- Trigger function: keeps process_instances.variables equal to the run's process-scope rows of
-- workflow_variables (the source of truth). Attached by trg_workflow_variables_project.
CREATE OR REPLACE FUNCTION flowable.project_process_variables()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- No flag to stop the two triggers feeding each other: each writes only what differs, so the
    -- import of this very change finds nothing to do (a session setting could be set by anyone).
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.task_id IS NULL
       AND (TG_OP = 'DELETE' OR OLD.variable_name <> NEW.variable_name OR NEW.task_id IS NOT NULL
            OR OLD.process_instance_id IS DISTINCT FROM NEW.process_instance_id) THEN
        UPDATE flowable.process_instances
        SET variables = variables - OLD.variable_name::text
        WHERE process_instance_id = OLD.process_instance_id
          AND variables ? OLD.variable_name::text;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.task_id IS NULL THEN
        UPDATE flowable.process_instances
        SET variables = COALESCE(variables, '{}'::jsonb)
                        || pg_catalog.jsonb_build_object(NEW.variable_name, COALESCE(NEW.variable_json, 'null'::jsonb))
        WHERE process_instance_id = NEW.process_instance_id
          AND (variables -> NEW.variable_name::text) IS DISTINCT FROM COALESCE(NEW.variable_json, 'null'::jsonb);
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION flowable.project_process_variables() IS
    'AFTER trigger on flowable.workflow_variables: copies each process-scope variable (name: variable_json) into process_instances.variables and removes deleted ones, so the JSON column always mirrors the typed rows.';

REVOKE ALL ON FUNCTION flowable.project_process_variables() FROM PUBLIC;
