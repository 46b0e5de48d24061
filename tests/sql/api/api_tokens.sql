-- Bearer tokens: stored hashed, resolved to their user by authenticate_token,
-- refused when unknown, expired, revoked or of an inactive user.
BEGIN;
SELECT plan(32);

INSERT INTO entitlements.users (user_id, username, is_active)
VALUES ('tok_alice', 'tok_alice', true), ('tok_bob', 'tok_bob', true), ('tok_gone', 'tok_gone', false);

CREATE TEMP TABLE made AS
SELECT * FROM entitlements.create_api_token('tok_alice', INTERVAL '1 day', 'laptop');
GRANT SELECT ON made TO PUBLIC;

SELECT has_table('entitlements', 'api_tokens', 'the api_tokens table exists');
SELECT col_type_is('entitlements', 'api_tokens', 'expires_at', 'timestamp with time zone',
                   'expires_at is a timestamptz');
SELECT fk_ok('entitlements', 'api_tokens', 'user_id', 'entitlements', 'users', 'user_id');

SELECT matches((SELECT token FROM made), '^pgwf_[0-9a-f]{64}$',
               'a token is pgwf_ followed by 64 hex digits');
SELECT is((SELECT count(*)::int FROM entitlements.api_tokens
            WHERE token_hash = (SELECT token FROM made) OR token_hash LIKE 'pgwf_%'), 0,
          'the token itself is not stored anywhere in the table');
SELECT is((SELECT token_hash FROM entitlements.api_tokens WHERE token_id = (SELECT token_id FROM made)),
          encode(sha256(convert_to((SELECT token FROM made), 'UTF8')), 'hex'),
          'the stored hash is the SHA-256 of the token');
SELECT is((SELECT token_prefix::text FROM made), left((SELECT token FROM made), 12),
          'the prefix shown in listings is the start of the token');
SELECT isnt((SELECT token FROM entitlements.create_api_token('tok_alice')), (SELECT token FROM made),
            'two tokens of one user differ');

SELECT is(entitlements.authenticate_token((SELECT token FROM made))::text, 'tok_alice',
          'a valid token resolves to its user');
SELECT isnt((SELECT last_used_at FROM entitlements.api_tokens WHERE token_id = (SELECT token_id FROM made)),
            NULL, 'authentication records when the token was last used');

SELECT throws_ok($$SELECT entitlements.authenticate_token('pgwf_' || repeat('0', 64))$$,
                 'PW401', 'the bearer token is not known', 'an unknown token is refused with PW401');
SELECT throws_ok($$SELECT entitlements.authenticate_token(NULL)$$,
                 'PW401', 'no bearer token given', 'a missing token is refused with PW401');
SELECT throws_ok($$SELECT entitlements.authenticate_token('')$$,
                 'PW401', 'no bearer token given', 'an empty token is refused with PW401');

UPDATE entitlements.api_tokens SET created_at = now() - INTERVAL '2 days', expires_at = now() - INTERVAL '1 second'
 WHERE token_id = (SELECT token_id FROM made);
SELECT throws_like(format('SELECT entitlements.authenticate_token(%L)', (SELECT token FROM made)),
                   '%has expired', 'an expired token is refused');
UPDATE entitlements.api_tokens SET expires_at = now() + INTERVAL '1 day'
 WHERE token_id = (SELECT token_id FROM made);

SELECT lives_ok(format('SELECT entitlements.revoke_api_token(%s)', (SELECT token_id FROM made)),
                'a token can be revoked');
SELECT throws_like(format('SELECT entitlements.authenticate_token(%L)', (SELECT token FROM made)),
                   '%was revoked', 'a revoked token is refused');
SELECT throws_ok(format('SELECT entitlements.revoke_api_token(%s)', (SELECT token_id FROM made)),
                 'PW409', NULL, 'revoking a revoked token again is refused with PW409');
SELECT throws_ok($$SELECT entitlements.revoke_api_token(-1)$$, 'PW404', 'token -1 does not exist',
                 'revoking an unknown token is refused with PW404');

CREATE TEMP TABLE bob_token AS SELECT * FROM entitlements.create_api_token('tok_bob');
GRANT SELECT ON bob_token TO PUBLIC;
UPDATE entitlements.users SET is_active = false WHERE user_id = 'tok_bob';
SELECT throws_like(format('SELECT entitlements.authenticate_token(%L)', (SELECT token FROM bob_token)),
                   '%is inactive', 'the token of a deactivated user is refused');
UPDATE entitlements.users SET is_active = true WHERE user_id = 'tok_bob';

SELECT is(entitlements.revoke_user_api_tokens('tok_bob'), 1,
          'revoking a user''s tokens revokes each live one and counts them');
SELECT throws_ok($$SELECT entitlements.create_api_token('nobody_here')$$, 'PW404',
                 'user nobody_here does not exist', 'a token for an unknown user is refused with PW404');
SELECT throws_ok($$SELECT entitlements.create_api_token('tok_gone')$$, 'PW409', NULL,
                 'a token for an inactive user is refused with PW409');
SELECT throws_ok($$SELECT entitlements.create_api_token('tok_alice', INTERVAL '-1 day')$$, 'PW400', NULL,
                 'a token that would expire before it is made is refused with PW400');

SELECT throws_ok($$INSERT INTO entitlements.api_tokens (user_id, token_hash, token_prefix, created_by, expires_at)
                   VALUES ('tok_alice', 'not-a-hash', 'x', 'me', now() + INTERVAL '1 day')$$,
                 '23514', NULL, 'a token_hash that is not a SHA-256 hex digest is refused (chk_api_tokens_hash_format)');

-- As the API's own login: the function is callable, the table is not.
CREATE TEMP TABLE live_token AS SELECT * FROM entitlements.create_api_token('tok_alice');
GRANT SELECT ON live_token TO PUBLIC;
SET LOCAL ROLE pgwf_test_app;
SELECT is(entitlements.authenticate_token((SELECT token FROM live_token))::text, 'tok_alice',
          'the API login can resolve a valid token');
SELECT throws_ok($$SELECT count(*) FROM entitlements.api_tokens$$, '42501', NULL,
                 'the API login cannot read the token table');
SELECT throws_ok($$SELECT * FROM entitlements.create_api_token('tok_alice')$$, '42501', NULL,
                 'the API login cannot make tokens');
SELECT throws_ok($$SELECT entitlements.revoke_user_api_tokens('tok_alice')$$, '42501', NULL,
                 'the API login cannot revoke tokens');
SELECT throws_ok(format('SELECT entitlements.revoke_own_api_token(%L)', (SELECT token FROM live_token)),
                 'PW401', NULL, 'signing out needs an identity');
SELECT set_config('app.current_user_id', 'tok_bob', true);
SELECT throws_ok(format('SELECT entitlements.revoke_own_api_token(%L)', (SELECT token FROM live_token)),
                 'PW404', NULL, 'nobody can sign out another person''s token');
SELECT set_config('app.current_user_id', 'tok_alice', true);
SELECT is(entitlements.revoke_own_api_token((SELECT token FROM live_token)), (SELECT token_id FROM live_token),
          'a person can revoke the token they use');
SELECT throws_like(format('SELECT entitlements.authenticate_token(%L)', (SELECT token FROM live_token)),
                   '%was revoked', 'a signed-out token is refused');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
