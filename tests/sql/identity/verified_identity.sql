-- Who the database believes is acting: app.current_user_id counts when the session's login is a
-- trusted caller (pgwf_trusted_caller; superusers) or when entitlements.authenticate / act_as
-- signed it in this transaction. Any other login asserting an identity gets nobody.
BEGIN;
SELECT plan(29);

SELECT tests.cr_world();
SELECT tests.cr_task('vi1', 'Q_CLAIMS');
CREATE TEMP TABLE tok AS
SELECT a.token AS alice, a.token_id AS alice_id
FROM entitlements.create_api_token('alice') a;
GRANT SELECT ON tok TO PUBLIC;

SELECT has_role('pgwf_trusted_caller', 'the group role pgwf_trusted_caller exists');
SELECT ok(pg_has_role('pgwf_test_app', 'pgwf_trusted_caller', 'MEMBER')
          AND NOT pg_has_role('pgwf_test_untrusted', 'pgwf_trusted_caller', 'MEMBER'),
          'the test API login is trusted, the plain application login is not');

-- 1. an application login that is not trusted asserts alice: nobody
SET LOCAL SESSION AUTHORIZATION pgwf_test_untrusted;
SET LOCAL ROLE pgwf_app;
SELECT set_config('app.current_user_id', 'alice', true);
SELECT is(entitlements.current_user_id(), NULL, 'an untrusted login setting app.current_user_id is nobody');
SELECT is((SELECT count(*)::int FROM flowable.workflow_tasks), 0, 'and sees no task');
SELECT throws_ok($$SELECT * FROM flowable.claim_next_task('alice', ARRAY['Q_CLAIMS'])$$, 'PW401', NULL,
                 'and cannot claim as alice');
SELECT throws_ok($$SELECT entitlements.act_as('alice')$$, 'PW403',
                 'act_as: login pgwf_test_untrusted may not act as another user',
                 'an untrusted login cannot take the operator path');
SET app.current_user_id = 'alice';   -- the session-level form (as PGOPTIONS would set it)
SELECT is(entitlements.current_user_id(), NULL, 'nor does a session-level SET count');
SELECT set_config('app.identity_proof', repeat('0', 64), true);
SELECT is(entitlements.current_user_id(), NULL, 'nor a made-up signature');
SELECT is(entitlements.client_info() - 'application', '{"login": "pgwf_test_untrusted", "auth": "none"}'::jsonb,
          'the audit of an unsigned claim names the login and no user');

-- 2. the same login authenticates with alice's token: alice, signed
SELECT is(entitlements.authenticate((SELECT alice FROM tok))::text, 'alice', 'authenticate returns the token''s user');
SELECT is(entitlements.current_user_id()::text, 'alice', 'after authenticate the login acts as alice');
SELECT is((SELECT count(*)::int FROM flowable.workflow_tasks WHERE task_id = 'vi1'), 1, 'and sees alice''s queue task');
SELECT is(entitlements.client_info() - 'token_id' - 'application',
          '{"user": "alice", "login": "pgwf_test_untrusted", "auth": "token"}'::jsonb,
          'client_info records the user, the login and that a token authenticated them');
SELECT is((entitlements.client_info() ->> 'token_id')::bigint,
          (SELECT alice_id FROM tok),
          'and which token');

-- 3. tampering with the signed identity gives nobody
SELECT set_config('app.current_user_id', 'bob', true);
SELECT is(entitlements.current_user_id(), NULL, 'changing the user after authenticate is nobody');
SELECT set_config('app.current_user_id', 'alice', true);
SELECT set_config('app.auth_method', 'act_as', true);
SELECT is(entitlements.current_user_id(), NULL, 'changing the recorded auth method breaks the signature');
SELECT set_config('app.auth_method', 'token', true);
SELECT is(entitlements.current_user_id()::text, 'alice', 'put back, the signature holds again');
SELECT ok(NOT entitlements.identity_proven('bob'), 'the signature does not prove another user');

-- 4. no role but the owner reads the key or calls the signing functions
SELECT throws_ok($$SELECT * FROM entitlements.identity_keys$$, '42501', NULL, 'the signing key is not readable');
SELECT throws_ok($$SELECT entitlements.sign_identity('bob', 'token', NULL)$$, '42501', NULL,
                 'sign_identity is not callable by an application login');
SELECT throws_ok($$SELECT entitlements.identity_proof(NULL::entitlements.identity_keys, 'bob', 'token', '')$$, '42501', NULL,
                 'identity_proof is not callable by an application login');
SELECT throws_ok($$SELECT entitlements.authenticate('pgwf_' || repeat('0', 64))$$, 'PW401',
                 'the bearer token is not known', 'authenticate refuses an unknown token');

RESET ROLE;
SET LOCAL SESSION AUTHORIZATION DEFAULT;

-- 5. the trusted API login may assert, and take the operator path
SET LOCAL SESSION AUTHORIZATION pgwf_test_app;
SET LOCAL ROLE pgwf_app;
SELECT set_config('app.current_user_id', 'alice', true);
SELECT set_config('app.identity_proof', '', true), set_config('app.auth_user', '', true);  -- what section 2 left
SELECT is(entitlements.current_user_id()::text, 'alice', 'a trusted login''s app.current_user_id is believed');
SELECT is(entitlements.client_info() ->> 'auth', 'asserted', 'and the audit says it was asserted');
SELECT is(entitlements.act_as('bob')::text, 'bob', 'act_as makes an active user the identity');
SELECT is(entitlements.client_info() - 'application',
          '{"user": "bob", "login": "pgwf_test_app", "auth": "act_as"}'::jsonb, 'and the audit says act_as');
SELECT set_config('app.current_user_id', 'alice', true);
SELECT is(entitlements.client_info() ->> 'auth', 'asserted',
          'a trusted login that then sets another user is recorded as asserting, not as act_as');
SELECT entitlements.act_as('bob');
SELECT throws_ok($$SELECT entitlements.act_as('nobody')$$, 'PW404', 'act_as: user nobody does not exist',
                 'act_as refuses an unknown user');
SELECT throws_ok($$SELECT entitlements.act_as('frank')$$, 'PW403', 'act_as: user frank is inactive',
                 'act_as refuses an inactive user');
RESET ROLE;
SET LOCAL SESSION AUTHORIZATION DEFAULT;

SELECT * FROM finish();
ROLLBACK;
