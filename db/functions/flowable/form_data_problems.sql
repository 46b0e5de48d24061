-- What is wrong with a task's form data against its form (flowable.form_problem's format), one
-- problem a line, or NULL when nothing is: a required field missing, null or an empty string, a
-- value of the wrong JSON type (string and text: a string; number: a number; integer: a whole
-- number; boolean: true or false; date: a string that is an ISO date YYYY-MM-DD; enum: one of
-- its options). Fields the form does not name are kept as they are. Used by
-- flowable.complete_task, which refuses with PW422 and these lines as the detail.
CREATE OR REPLACE FUNCTION flowable.form_data_problems(p_form jsonb, p_data jsonb)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
-- PL/pgSQL, so its plan is kept for the session (complete_task calls it for every task with a form)
AS $$
BEGIN
    RETURN (
        SELECT string_agg(format('%s: %s', f.name, f.problem), E'\n' ORDER BY f.ord)
        FROM (
            SELECT x.ord, x.field ->> 'name' AS name, CASE
                WHEN v.value IS NULL OR v.value = 'null'::jsonb OR v.value = '""'::jsonb THEN
                    CASE WHEN (x.field -> 'required') = 'true'::jsonb THEN 'is required' END
                WHEN COALESCE(x.field ->> 'type', 'string') IN ('string', 'text') AND jsonb_typeof(v.value) <> 'string'
                    THEN 'must be text'
                WHEN x.field ->> 'type' = 'number' AND jsonb_typeof(v.value) <> 'number'
                    THEN 'must be a number'
                -- nested CASEs: a value is cast only once its type is known (AND and OR have no order)
                WHEN x.field ->> 'type' = 'integer'
                     AND CASE WHEN jsonb_typeof(v.value) = 'number'
                              THEN v.value::text::numeric <> trunc(v.value::text::numeric) ELSE true END
                    THEN 'must be a whole number'
                WHEN x.field ->> 'type' = 'boolean' AND jsonb_typeof(v.value) <> 'boolean'
                    THEN 'must be true or false'
                WHEN x.field ->> 'type' = 'date'
                     AND CASE WHEN jsonb_typeof(v.value) = 'string'
                                   AND v.value #>> '{}' ~ '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
                              -- the day exists in its month (2026-02-30 does not)
                              THEN substr(v.value #>> '{}', 9, 2)::integer > extract(day FROM
                                       make_date(substr(v.value #>> '{}', 1, 4)::integer, substr(v.value #>> '{}', 6, 2)::integer, 1)
                                       + interval '1 month' - interval '1 day')
                              ELSE true END
                    THEN 'must be a date (YYYY-MM-DD)'
                WHEN x.field ->> 'type' = 'enum' AND NOT (COALESCE(x.field -> 'options', '[]'::jsonb) @> jsonb_build_array(v.value))
                    THEN format('must be one of %s', (SELECT string_agg(o, ', ') FROM jsonb_array_elements_text(x.field -> 'options') o))
            END AS problem
            FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p_form) = 'array' THEN p_form ELSE '[]'::jsonb END)
                 WITH ORDINALITY AS x(field, ord)
            CROSS JOIN LATERAL (SELECT CASE WHEN jsonb_typeof(p_data) = 'object' THEN p_data -> (x.field ->> 'name') END AS value) v
            WHERE jsonb_typeof(x.field) = 'object'
        ) f
        WHERE f.problem IS NOT NULL);
END;
$$;

COMMENT ON FUNCTION flowable.form_data_problems(jsonb, jsonb) IS
    'What is wrong with form data against a task form (flowable.form_problem), one line a field ("name: is required", "must be a number", "must be a whole number", "must be true or false", "must be a date (YYYY-MM-DD)", "must be one of ..."); NULL when nothing is. Fields the form does not name pass.';

REVOKE ALL ON FUNCTION flowable.form_data_problems(jsonb, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.form_data_problems(jsonb, jsonb) TO pgwf_app;
