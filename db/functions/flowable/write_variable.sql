-- Store one typed variable (process scope when p_task_id is NULL): checks the value against its
-- type and upserts the row. Used by set_variable (people) and directly by the engine (pgwf_worker).
CREATE OR REPLACE FUNCTION flowable.write_variable(
    p_process_instance_id varchar,
    p_task_id varchar,
    p_name varchar,
    p_type varchar,
    p_value jsonb,
    p_updated_by varchar DEFAULT NULL
) RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
-- a DATE's canonical text must not depend on the caller's session: ISO style, in UTC
SET TimeZone = 'UTC'
SET DateStyle = 'ISO, YMD'
AS $$
DECLARE
    v_type varchar := upper(p_type);
    v_kind text := pg_catalog.jsonb_typeof(p_value);
    v_text text;
    v_json jsonb := p_value;
    v_pid varchar := p_process_instance_id;
    v_id bigint;
BEGIN
    IF p_name IS NULL OR pg_catalog.btrim(p_name) = '' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'write_variable: the variable name is empty';
    END IF;
    v_text := automation.value_problem(p_value);
    IF v_text IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('write_variable: the value of variable %s is refused: %s', p_name, v_text);
    END IF;
    IF v_type IS NULL OR v_type NOT IN ('STRING', 'INTEGER', 'BOOLEAN', 'DATE', 'JSON', 'BINARY') THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('write_variable: variable %s has unknown type %s', p_name, COALESCE(p_type, 'NULL')),
            HINT = 'Types are STRING, INTEGER, BOOLEAN, DATE, JSON and BINARY.';
    END IF;
    IF p_task_id IS NOT NULL THEN
        SELECT t.process_instance_id INTO v_pid FROM flowable.workflow_tasks t WHERE t.task_id = p_task_id;
        IF NOT FOUND OR (p_process_instance_id IS NOT NULL AND v_pid <> p_process_instance_id) THEN
            RAISE EXCEPTION USING ERRCODE = 'PW404',
                MESSAGE = format('write_variable: task %s of process %s not found', p_task_id, COALESCE(p_process_instance_id, '?'));
        END IF;
    ELSIF NOT EXISTS (SELECT 1 FROM flowable.process_instances WHERE process_instance_id = v_pid) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404',
            MESSAGE = format('write_variable: process instance %s not found', COALESCE(v_pid, 'NULL'));
    END IF;

    -- The canonical text form of the value; a JSON null is a NULL value of any type.
    IF v_kind IS NULL OR v_kind = 'null' THEN
        v_text := NULL;
        v_json := 'null'::jsonb;
    ELSIF v_type = 'STRING' AND v_kind = 'string' THEN
        v_text := p_value #>> '{}';
    ELSIF v_type = 'INTEGER' AND v_kind = 'number' AND (p_value #>> '{}') ~ '^-?[0-9]+$'
          AND (p_value #>> '{}')::numeric BETWEEN -9223372036854775808 AND 9223372036854775807 THEN
        v_text := ((p_value #>> '{}')::numeric)::bigint::text;
    ELSIF v_type = 'BOOLEAN' AND v_kind = 'boolean' THEN
        v_text := p_value #>> '{}';
    ELSIF v_type = 'DATE' AND v_kind = 'string'
          -- ISO 8601 only (extended or basic format): a date, or a date and time with any fraction
          -- and an optional offset (none means UTC); no 'tomorrow', 'infinity' or day/month orders
          -- that depend on DateStyle. Years past 9999 are allowed: they are what a late timestamp
          -- in another zone becomes in UTC, and the stored form must be accepted back.
          AND ((p_value #>> '{}') ~* '^\d{4,}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$'
               OR (p_value #>> '{}') ~* '^\d{8}(T\d{6}(\.\d+)?(Z|[+-]\d{2}(\d{2})?)?)?$') THEN
        BEGIN
            IF (p_value #>> '{}') ~ '^\d{4,}-\d{2}-\d{2}$' OR (p_value #>> '{}') ~ '^\d{8}$' THEN
                v_text := ((p_value #>> '{}')::date)::text;
            ELSE
                v_text := pg_catalog.to_jsonb((p_value #>> '{}')::timestamptz) #>> '{}';
            END IF;
            v_json := pg_catalog.to_jsonb(v_text);
        EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow THEN
            v_text := NULL;
            v_kind := 'bad';
        END;
    ELSIF v_type = 'BINARY' AND v_kind = 'string' THEN
        BEGIN
            v_text := pg_catalog.encode(pg_catalog.decode(p_value #>> '{}', 'base64'), 'base64');
            v_text := pg_catalog.replace(v_text, E'\n', '');
            v_json := pg_catalog.to_jsonb(v_text);
        EXCEPTION WHEN invalid_parameter_value THEN
            v_kind := 'bad';
        END;
    ELSIF v_type = 'JSON' THEN
        v_text := NULL;
    ELSE
        v_kind := 'bad';
    END IF;
    IF v_kind = 'bad' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('write_variable: value %s is not a valid %s for variable %s', left(p_value::text, 100), v_type, p_name),
            HINT = 'STRING: a JSON string; INTEGER: a whole JSON number; BOOLEAN: true/false; DATE: an ISO 8601 string; JSON: anything; BINARY: a base64 string.';
    END IF;

    INSERT INTO flowable.workflow_variables AS w (process_instance_id, task_id, variable_name, variable_type,
                                                  variable_value, variable_json, updated_by)
    VALUES (CASE WHEN p_task_id IS NULL THEN v_pid END, p_task_id, p_name, v_type, v_text, v_json, p_updated_by)
    ON CONFLICT ON CONSTRAINT uq_workflow_variables_scope_name DO UPDATE
    SET variable_type = EXCLUDED.variable_type, variable_value = EXCLUDED.variable_value,
        variable_json = EXCLUDED.variable_json, updated_by = EXCLUDED.updated_by
    RETURNING w.variable_id INTO v_id;
    RETURN v_id;
END;
$$;

COMMENT ON FUNCTION flowable.write_variable(varchar, varchar, varchar, varchar, jsonb, varchar) IS
    'Upserts a typed variable of a process instance (p_task_id NULL) or of a task: STRING needs a JSON string, INTEGER a whole number (bigint), BOOLEAN true/false, DATE an ISO 8601 date or timestamp (stored canonically, a timestamp in UTC, whatever the session''s TimeZone and DateStyle), JSON anything, BINARY base64; JSON null is allowed for every type. Stores the canonical text in variable_value and the JSON in variable_json. Errors: PW400 empty name, PW404 unknown run or task, PW422 unknown type or a value that does not fit it. No permission check: for the engine; people use set_variable.';

REVOKE ALL ON FUNCTION flowable.write_variable(varchar, varchar, varchar, varchar, jsonb, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.write_variable(varchar, varchar, varchar, varchar, jsonb, varchar) TO pgwf_worker;
