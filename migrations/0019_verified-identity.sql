-- pgwf 0019: identities the database can verify (docs/operations.md, "Who may say who is acting").
-- depends: 0018_hardening-limits
--
-- * The group role pgwf_trusted_caller: a login that is a member may assert an identity by
--   setting app.current_user_id (the API's own login, operators). Any other login's setting
--   counts only when entitlements.authenticate or entitlements.act_as signed it.
-- * entitlements.identity_keys: the per-database HMAC key of those signatures, one row made on
--   first use, readable by the owner only.
-- * client_info on workflow_instances and workflow_approvals (task_history has one already): who
--   acted, through which database login, and how they were authenticated.

DO $roles$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'pgwf_trusted_caller') THEN
        BEGIN
            CREATE ROLE pgwf_trusted_caller NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;  -- created by a concurrent session meanwhile
        END;
    END IF;
END
$roles$;

SET LOCAL ROLE pgwf_owner;

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

ALTER TABLE automation.workflow_instances ADD COLUMN client_info JSONB;
COMMENT ON COLUMN automation.workflow_instances.client_info IS 'pgwf addition: who started the run and how (entitlements.client_info(): user, database login, auth token/act_as/asserted/none, token_id, application).';
ALTER TABLE automation.workflow_approvals ADD COLUMN client_info JSONB;
COMMENT ON COLUMN automation.workflow_approvals.client_info IS 'pgwf addition: who decided the approval and how (entitlements.client_info() at the decision); NULL while pending or when it expired.';
COMMENT ON COLUMN flowable.task_history.client_info IS 'Who acted and how, stamped by trg_task_history_client_info (entitlements.client_info(): user, database login, auth token/act_as/asserted/none, token_id, application).';

RESET ROLE;
