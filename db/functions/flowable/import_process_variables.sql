-- Trigger function: a direct write of process_instances.variables (e.g. by the engine at start)
-- is imported into workflow_variables, the source of truth, with types inferred from the JSON.
-- Attached by trg_process_instances_import_variables.
CREATE OR REPLACE FUNCTION flowable.import_process_variables()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_old jsonb := CASE WHEN TG_OP = 'UPDATE' THEN COALESCE(OLD.variables, '{}'::jsonb) ELSE '{}'::jsonb END;
    v_new jsonb := COALESCE(NEW.variables, '{}'::jsonb);
    v_key text;
    v_val jsonb;
    v_type varchar;
BEGIN
    IF pg_catalog.jsonb_typeof(v_new) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('process_instances.variables of run %s must be a JSON object, not %s',
                             NEW.process_instance_id, pg_catalog.jsonb_typeof(v_new));
    END IF;
    -- Only what differs from the typed rows is written, so the projection's own write of this
    -- column (project_process_variables) imports nothing and the two triggers stop there.
    DELETE FROM flowable.workflow_variables w
    WHERE w.process_instance_id = NEW.process_instance_id AND w.task_id IS NULL
      AND v_old ? w.variable_name AND NOT v_new ? w.variable_name
      -- only the row the removed key stood for: a row renamed to that name in the same statement
      -- (the projection removes the old name first) has another value and stays
      AND COALESCE(w.variable_json, 'null'::jsonb) = v_old -> w.variable_name::text;
    -- A DATE or BINARY variable given a new string keeps its type, so the value goes through
    -- write_variable's check (PW422 refuses the whole write) and is stored in canonical form.
    FOR v_key, v_val, v_type IN
        SELECT e.key, e.value, cur.variable_type
        FROM pg_catalog.jsonb_each(v_new) AS e
        JOIN flowable.workflow_variables cur
          ON cur.process_instance_id = NEW.process_instance_id AND cur.task_id IS NULL AND cur.variable_name = e.key
        WHERE cur.variable_type IN ('DATE', 'BINARY') AND pg_catalog.jsonb_typeof(e.value) = 'string'
          AND (NOT (v_old ? e.key) OR v_old -> e.key IS DISTINCT FROM e.value)
          AND COALESCE(cur.variable_json, 'null'::jsonb) IS DISTINCT FROM e.value
    LOOP
        PERFORM flowable.write_variable(NEW.process_instance_id, NULL, v_key, v_type, v_val, entitlements.current_user_id());
    END LOOP;
    -- One statement for all other changed keys: the type follows the JSON.
    INSERT INTO flowable.workflow_variables AS w (process_instance_id, variable_name, variable_type, variable_value, variable_json, updated_by)
    SELECT NEW.process_instance_id, e.key,
           CASE pg_catalog.jsonb_typeof(e.value)
               WHEN 'string' THEN 'STRING'
               WHEN 'boolean' THEN 'BOOLEAN'
               WHEN 'number' THEN CASE WHEN (e.value #>> '{}') ~ '^-?[0-9]{1,19}$'
                                            AND (e.value #>> '{}')::numeric BETWEEN -9223372036854775808 AND 9223372036854775807
                                       THEN 'INTEGER' ELSE 'JSON' END
               WHEN 'null' THEN COALESCE(cur.variable_type, 'JSON')
               ELSE 'JSON' END,
           CASE WHEN pg_catalog.jsonb_typeof(e.value) IN ('string', 'boolean') THEN e.value #>> '{}'
                WHEN pg_catalog.jsonb_typeof(e.value) = 'number' AND (e.value #>> '{}') ~ '^-?[0-9]{1,19}$'
                     AND (e.value #>> '{}')::numeric BETWEEN -9223372036854775808 AND 9223372036854775807 THEN e.value #>> '{}' END,
           e.value,
           entitlements.current_user_id()
    FROM pg_catalog.jsonb_each(v_new) AS e
    LEFT JOIN flowable.workflow_variables cur
           ON cur.process_instance_id = NEW.process_instance_id AND cur.task_id IS NULL AND cur.variable_name = e.key
    WHERE (NOT (v_old ? e.key) OR v_old -> e.key IS DISTINCT FROM e.value)
      AND (cur.variable_type IS NULL OR cur.variable_type NOT IN ('DATE', 'BINARY')
           OR pg_catalog.jsonb_typeof(e.value) <> 'string')
      AND (cur.variable_name IS NULL OR COALESCE(cur.variable_json, 'null'::jsonb) IS DISTINCT FROM e.value)
    ON CONFLICT ON CONSTRAINT uq_workflow_variables_scope_name DO UPDATE
    SET variable_type = EXCLUDED.variable_type, variable_value = EXCLUDED.variable_value,
        variable_json = EXCLUDED.variable_json, updated_by = EXCLUDED.updated_by;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION flowable.import_process_variables() IS
    'AFTER INSERT / UPDATE OF variables trigger on flowable.process_instances: imports keys added, changed or removed in the JSON into workflow_variables (STRING, BOOLEAN, INTEGER for whole numbers, JSON otherwise; a DATE or BINARY variable keeps its type, its new value checked and made canonical by write_variable, PW422 refusing the write), so workflow_variables stays the one source of truth whoever writes.';

REVOKE ALL ON FUNCTION flowable.import_process_variables() FROM PUBLIC;
