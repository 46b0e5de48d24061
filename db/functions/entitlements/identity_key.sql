-- The database's identity signing key: the one entitlements.identity_keys row, made on first use
-- from 64 bytes of gen_random_uuid() randomness passed through SHA-256. Called by the functions
-- that sign an identity (entitlements.sign_identity); verification only reads the row.
CREATE OR REPLACE FUNCTION entitlements.identity_key()
RETURNS entitlements.identity_keys
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_row entitlements.identity_keys;
    v_key bytea;
    v_inner bytea;
    v_outer bytea;
BEGIN
    SELECT * INTO v_row FROM entitlements.identity_keys WHERE key_id = 1;
    IF FOUND THEN
        RETURN v_row;
    END IF;
    -- 2 x SHA-256 over three random UUIDs each (122 random bits a UUID): a 64-byte key
    v_key := sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8'))
          || sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8'));
    v_inner := v_key;
    v_outer := v_key;
    -- a loop: bytea has no XOR operator, so the HMAC pads are made a byte at a time (64 bytes, once)
    FOR i IN 0..63 LOOP
        v_inner := set_byte(v_inner, i, get_byte(v_key, i) # 54);  -- 0x36
        v_outer := set_byte(v_outer, i, get_byte(v_key, i) # 92);  -- 0x5c
    END LOOP;
    INSERT INTO entitlements.identity_keys (key_id, inner_pad, outer_pad)
    VALUES (1, v_inner, v_outer)
    ON CONFLICT (key_id) DO NOTHING;
    SELECT * INTO STRICT v_row FROM entitlements.identity_keys WHERE key_id = 1;
    RETURN v_row;
END;
$$;

COMMENT ON FUNCTION entitlements.identity_key() IS
    'The identity signing key (entitlements.identity_keys), made on first use. Internal: no role but the owner may call it.';

REVOKE ALL ON FUNCTION entitlements.identity_key() FROM PUBLIC;
