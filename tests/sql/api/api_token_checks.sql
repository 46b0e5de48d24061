-- The CHECKs of entitlements.api_tokens: a token expires after it is made
-- (chk_api_tokens_expiry), and a revocation records both when and by whom (chk_api_tokens_revocation).
BEGIN;
SELECT plan(8);

INSERT INTO entitlements.users (user_id, username, is_active) VALUES ('chk_tok', 'chk_tok', true);

SELECT throws_ok(
    $$INSERT INTO entitlements.api_tokens (user_id, token_hash, token_prefix, created_by, created_at, expires_at)
      VALUES ('chk_tok', repeat('a', 64), 'pgwf_aaaaaaa', 'tester', '2026-01-02 10:00+00', '2026-01-02 10:00+00')$$,
    '23514', NULL, 'a token expiring the instant it is made is refused');
SELECT throws_ok(
    $$INSERT INTO entitlements.api_tokens (user_id, token_hash, token_prefix, created_by, created_at, expires_at)
      VALUES ('chk_tok', repeat('b', 64), 'pgwf_bbbbbbb', 'tester', '2026-01-02 10:00+00', '2026-01-01 10:00+00')$$,
    '23514', 'new row for relation "api_tokens" violates check constraint "chk_api_tokens_expiry"',
    'a token expiring before it is made is refused by chk_api_tokens_expiry');
SELECT lives_ok(
    $$INSERT INTO entitlements.api_tokens (user_id, token_hash, token_prefix, created_by, created_at, expires_at)
      VALUES ('chk_tok', repeat('c', 64), 'pgwf_ccccccc', 'tester', '2026-01-02 10:00+00', '2026-01-02 10:00:01+00')$$,
    'a token expiring after it is made is accepted');

SELECT throws_ok(
    $$INSERT INTO entitlements.api_tokens (user_id, token_hash, token_prefix, created_by, expires_at, revoked_at)
      VALUES ('chk_tok', repeat('d', 64), 'pgwf_ddddddd', 'tester', now() + interval '1 day', now())$$,
    '23514', 'new row for relation "api_tokens" violates check constraint "chk_api_tokens_revocation"',
    'a revocation time without who revoked is refused by chk_api_tokens_revocation');
SELECT throws_ok(
    $$INSERT INTO entitlements.api_tokens (user_id, token_hash, token_prefix, created_by, expires_at, revoked_by)
      VALUES ('chk_tok', repeat('e', 64), 'pgwf_eeeeeee', 'tester', now() + interval '1 day', 'admin')$$,
    '23514', 'new row for relation "api_tokens" violates check constraint "chk_api_tokens_revocation"',
    'who revoked without a revocation time is refused by chk_api_tokens_revocation');
SELECT lives_ok(
    $$INSERT INTO entitlements.api_tokens (user_id, token_hash, token_prefix, created_by, expires_at, revoked_at, revoked_by)
      VALUES ('chk_tok', repeat('f', 64), 'pgwf_fffffff', 'tester', now() + interval '1 day', now(), 'admin')$$,
    'a revocation with both its time and who revoked is accepted');
SELECT throws_ok(
    $$UPDATE entitlements.api_tokens SET revoked_by = NULL WHERE token_hash = repeat('f', 64)$$,
    '23514', 'new row for relation "api_tokens" violates check constraint "chk_api_tokens_revocation"',
    'clearing who revoked a revoked token is refused');
SELECT throws_ok(
    $$UPDATE entitlements.api_tokens SET expires_at = created_at - interval '1 second' WHERE token_hash = repeat('c', 64)$$,
    '23514', 'new row for relation "api_tokens" violates check constraint "chk_api_tokens_expiry"',
    'moving the expiry before the creation is refused');

SELECT * FROM finish();
ROLLBACK;
