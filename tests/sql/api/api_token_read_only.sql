-- A bearer token works in a read-only transaction (a hot standby serving /reports): it is
-- checked as on the primary, and its last use is simply not recorded there.
BEGIN;
SELECT plan(4);

INSERT INTO entitlements.users (user_id, username, is_active) VALUES ('ro_reader', 'ro_reader', true);
CREATE TEMP TABLE made AS SELECT * FROM entitlements.create_api_token('ro_reader', INTERVAL '1 day');
GRANT SELECT ON made TO PUBLIC;
UPDATE entitlements.api_tokens SET last_used_at = now() - INTERVAL '1 hour'
 WHERE token_id = (SELECT token_id FROM made);

SET LOCAL transaction_read_only = on;
SET LOCAL ROLE pgwf_test_app;

SELECT is(entitlements.authenticate((SELECT token FROM made))::text, 'ro_reader',
          'authenticate accepts a valid token in a read-only transaction');
SELECT is(entitlements.current_user_id()::text, 'ro_reader',
          'and makes its owner the identity there');
SELECT throws_ok($$SELECT entitlements.authenticate('pgwf_' || repeat('0', 64))$$,
                 'PW401', 'the bearer token is not known',
                 'an unknown token is still refused with PW401 there');

RESET ROLE;
SELECT is((SELECT last_used_at FROM entitlements.api_tokens WHERE token_id = (SELECT token_id FROM made)),
          now() - INTERVAL '1 hour',
          'a read-only transaction leaves the token''s last use as it was');

SELECT * FROM finish();
ROLLBACK;
