-- The local variables a token sees: its own and those of the scopes it runs inside (a
-- multi-instance body's counters, an instance's loopCounter and element variable), the innermost
-- winning. The engine reads them over the run's variables when it visits the token's node.
-- Called by engine_advance and engine_mi_instance_done.
CREATE OR REPLACE FUNCTION automation.engine_token_locals(p_token_id bigint)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
    -- internal: reached only from the engine's SECURITY DEFINER functions
    RETURN (
        WITH RECURSIVE chain(id, scope_token_id, locals, depth) AS (
            SELECT t.id, t.scope_token_id, t.locals, 0 FROM automation.workflow_tokens t WHERE t.id = p_token_id
            UNION ALL
            SELECT s.id, s.scope_token_id, s.locals, c.depth + 1
            FROM chain c JOIN automation.workflow_tokens s ON s.id = c.scope_token_id
            WHERE c.depth < 100
        )
        SELECT coalesce(jsonb_object_agg(x.key, x.value), '{}'::jsonb)
        FROM (SELECT DISTINCT ON (e.key) e.key, e.value
              FROM chain c CROSS JOIN LATERAL jsonb_each(coalesce(c.locals, '{}'::jsonb)) e
              WHERE e.key <> '$mi'
              ORDER BY e.key, c.depth) x);
END;
$$;

COMMENT ON FUNCTION automation.engine_token_locals(bigint) IS
    'The local variables of a token and its enclosing scopes (multi-instance counters, loopCounter, element variable), innermost first; {} for most tokens.';

REVOKE ALL ON FUNCTION automation.engine_token_locals(bigint) FROM PUBLIC;
