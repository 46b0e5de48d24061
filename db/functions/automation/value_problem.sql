-- Why a variable value is too big to store, or NULL: more than model_limit('variable_bytes') bytes
-- (its jsonb size) or objects and arrays nested deeper than model_limit('variable_depth'). The
-- size is read first (no walk of a value already too big); the depth walk stops one level past
-- the limit. Used by flowable.write_variable, engine_start_run and engine_finish_step.
CREATE OR REPLACE FUNCTION automation.value_problem(p_value jsonb)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_bytes integer := pg_column_size(p_value);
    v_max_bytes constant integer := automation.model_limit('variable_bytes');
    v_max_depth constant integer := automation.model_limit('variable_depth');
    v_depth integer;
BEGIN
    IF p_value IS NULL THEN
        RETURN NULL;
    END IF;
    IF v_bytes > v_max_bytes THEN
        RETURN format('it is %s bytes; the limit variable_bytes is %s', v_bytes, v_max_bytes);
    END IF;
    WITH RECURSIVE walk(v, depth) AS (
        SELECT p_value, 1 WHERE jsonb_typeof(p_value) IN ('object', 'array')
        UNION ALL
        SELECT c.v, w.depth + 1
        FROM walk w
        CROSS JOIN LATERAL (
            SELECT e.value FROM jsonb_each(CASE WHEN jsonb_typeof(w.v) = 'object' THEN w.v ELSE '{}'::jsonb END) e
            UNION ALL
            SELECT a.value FROM jsonb_array_elements(CASE WHEN jsonb_typeof(w.v) = 'array' THEN w.v ELSE '[]'::jsonb END) a
        ) c(v)
        WHERE jsonb_typeof(c.v) IN ('object', 'array') AND w.depth <= v_max_depth
    )
    SELECT max(depth) INTO v_depth FROM walk;
    IF v_depth > v_max_depth THEN
        RETURN format('it nests objects and arrays more than %s deep; the limit variable_depth is %s', v_max_depth, v_max_depth);
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.value_problem(jsonb) IS
    'NULL, or why a variable value is refused: over model_limit(''variable_bytes'') bytes or nested deeper than model_limit(''variable_depth'').';

REVOKE ALL ON FUNCTION automation.value_problem(jsonb) FROM PUBLIC;
