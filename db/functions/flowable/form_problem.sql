-- Why a task form definition is malformed, or NULL when it is well formed. A form is an array of
-- fields, each {"name", "label", "type", "required", "options", "description"}: name a non-empty
-- string of at most 100 characters, unique in the form; type one of string (the default), text,
-- number, integer, boolean, date, enum; required a boolean; an enum field's options a non-empty
-- array of strings (no other type has options); at most model_limit('form_fields') fields.
-- Used by automation.validate_workflow_graph (a task node's data.form, drawn or compiled from
-- BPMN form properties); flowable.form_data_problems checks submitted data against it.
CREATE OR REPLACE FUNCTION flowable.form_problem(p_form jsonb)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE
        WHEN p_form IS NULL THEN NULL
        WHEN jsonb_typeof(p_form) <> 'array' THEN 'the form must be an array of fields'
        WHEN jsonb_array_length(p_form) > automation.model_limit('form_fields')
            THEN format('the form has %s fields; the limit form_fields is %s',
                        jsonb_array_length(p_form), automation.model_limit('form_fields'))
        ELSE (
            SELECT format('form field #%s %s', f.ord, f.problem)
            FROM (
                SELECT x.ord, CASE
                    WHEN jsonb_typeof(x.field) <> 'object' THEN 'is not an object'
                    WHEN jsonb_typeof(x.field -> 'name') IS DISTINCT FROM 'string' OR btrim(x.field ->> 'name') = ''
                         OR length(x.field ->> 'name') > 100
                        THEN 'needs a "name" (a non-empty string of at most 100 characters)'
                    WHEN count(*) OVER (PARTITION BY x.field ->> 'name') > 1
                        THEN format('%s: the name appears more than once', x.field ->> 'name')
                    WHEN x.field ? 'label' AND (jsonb_typeof(x.field -> 'label') <> 'string' OR length(x.field ->> 'label') > 255)
                        THEN format('%s: "label" must be a string of at most 255 characters', x.field ->> 'name')
                    WHEN x.field ? 'description' AND jsonb_typeof(x.field -> 'description') <> 'string'
                        THEN format('%s: "description" must be a string', x.field ->> 'name')
                    WHEN COALESCE(x.field ->> 'type', 'string') NOT IN ('string', 'text', 'number', 'integer', 'boolean', 'date', 'enum')
                        THEN format('%s: type %s is not one of string, text, number, integer, boolean, date, enum',
                                    x.field ->> 'name', x.field -> 'type')
                    WHEN x.field ? 'required' AND jsonb_typeof(x.field -> 'required') <> 'boolean'
                        THEN format('%s: "required" must be true or false', x.field ->> 'name')
                    WHEN x.field ->> 'type' = 'enum' AND (jsonb_typeof(x.field -> 'options') IS DISTINCT FROM 'array'
                         OR jsonb_array_length(x.field -> 'options') = 0
                         OR EXISTS (SELECT 1 FROM jsonb_array_elements(x.field -> 'options') o WHERE jsonb_typeof(o) <> 'string'))
                        THEN format('%s: an enum field needs "options", a non-empty array of strings', x.field ->> 'name')
                    WHEN COALESCE(x.field ->> 'type', 'string') <> 'enum' AND x.field ? 'options'
                        THEN format('%s: only an enum field has "options"', x.field ->> 'name')
                END AS problem
                FROM jsonb_array_elements(p_form) WITH ORDINALITY AS x(field, ord)
            ) f
            WHERE f.problem IS NOT NULL
            ORDER BY f.ord LIMIT 1)
    END;
$$;

COMMENT ON FUNCTION flowable.form_problem(jsonb) IS
    'Why a task form definition (an array of fields {name, label, type string|text|number|integer|boolean|date|enum, required, options for enum, description}) is malformed, naming the field; NULL when well formed or absent. At most model_limit(''form_fields'') fields.';

REVOKE ALL ON FUNCTION flowable.form_problem(jsonb) FROM PUBLIC;
-- pure: validate_workflow_graph runs it as its caller
GRANT EXECUTE ON FUNCTION flowable.form_problem(jsonb) TO pgwf_app;
