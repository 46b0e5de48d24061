-- The per-database key that signs identities set by entitlements.authenticate and
-- entitlements.act_as (HMAC-SHA-256). One row, made on first use by
-- entitlements.identity_key(); no role but the owner reads it.
CREATE TABLE entitlements.identity_keys (
    key_id SMALLINT NOT NULL DEFAULT 1,
    inner_pad BYTEA NOT NULL,
    outer_pad BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT identity_keys_pkey PRIMARY KEY (key_id),
    CONSTRAINT chk_identity_keys_single CHECK (key_id = 1),
    CONSTRAINT chk_identity_keys_pads CHECK (octet_length(inner_pad) = 64 AND octet_length(outer_pad) = 64)
);

COMMENT ON TABLE entitlements.identity_keys IS 'pgwf addition: the per-database key that signs identities set by entitlements.authenticate and act_as (HMAC-SHA-256), as its two padded halves. One row, made on first use; no role but the owner reads it.';
COMMENT ON COLUMN entitlements.identity_keys.inner_pad IS 'The 64-byte key XOR 0x36 (HMAC''s inner pad).';
COMMENT ON COLUMN entitlements.identity_keys.outer_pad IS 'The 64-byte key XOR 0x5c (HMAC''s outer pad).';
