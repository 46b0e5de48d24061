-- entitlements.identity_keys: no role reads or writes the key but the owner; the SECURITY DEFINER
-- identity functions (entitlements.identity_key, identity_proof) are the only way in.
REVOKE ALL ON TABLE entitlements.identity_keys FROM PUBLIC;

ALTER TABLE entitlements.identity_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE entitlements.identity_keys FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON entitlements.identity_keys
    TO pgwf_owner
    USING (true)
    WITH CHECK (true);
COMMENT ON POLICY engine_all ON entitlements.identity_keys IS 'The identity functions (SECURITY DEFINER, owned by pgwf_owner) read the key and make it on first use; no other role has any grant on the table.';
