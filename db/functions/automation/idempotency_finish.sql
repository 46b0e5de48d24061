-- The second half of an idempotent call: records the result of the call that
-- idempotency_begin let through, for the repeats of its key. Called last by the same functions.
CREATE OR REPLACE FUNCTION automation.idempotency_finish(p_key varchar, p_result jsonb)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE automation.idempotency_keys k
    SET result = COALESCE(p_result, 'null'::jsonb)
    WHERE p_key IS NOT NULL
      AND k.user_id = entitlements.current_user_id()
      AND k.idempotency_key = p_key
      AND k.result IS NULL;
END;
$$;

COMMENT ON FUNCTION automation.idempotency_finish(varchar, jsonb) IS
    'Records p_result (SQL NULL as JSON null) as the result of the current user''s call with key p_key begun by idempotency_begin; nothing without a key. Internal to the task and run functions.';

REVOKE ALL ON FUNCTION automation.idempotency_finish(varchar, jsonb) FROM PUBLIC;
