-- Fixture builders for pgTAP tests: small functions that make rows with
-- sensible defaults, so a test shows only what matters to it.
-- Loaded into schema "tests" of the test template database only.
CREATE OR REPLACE FUNCTION tests.as_user(p_user_id text)
RETURNS void LANGUAGE sql AS $$
    SELECT set_config('app.current_user_id', p_user_id, true);
$$;
COMMENT ON FUNCTION tests.as_user(text) IS 'Act as this pgwf user for the rest of the transaction.';
