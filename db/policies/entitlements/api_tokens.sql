-- entitlements.api_tokens: nobody reads or writes the table directly; the
-- SECURITY DEFINER token functions (owned by pgwf_owner) are the only way in.
REVOKE ALL ON TABLE entitlements.api_tokens FROM PUBLIC;
REVOKE ALL ON SEQUENCE entitlements.api_tokens_token_id_seq FROM PUBLIC;

-- The API login calls entitlements.authenticate_token, so it needs the schema
-- (granting again is harmless when another file of the schema grants it too).
GRANT USAGE ON SCHEMA entitlements TO pgwf_app;

ALTER TABLE entitlements.api_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE entitlements.api_tokens FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON entitlements.api_tokens
    TO pgwf_owner
    USING (true)
    WITH CHECK (true);
COMMENT ON POLICY engine_all ON entitlements.api_tokens IS 'The token functions (SECURITY DEFINER, owned by pgwf_owner) see and change every token; no other role has any grant on the table.';
