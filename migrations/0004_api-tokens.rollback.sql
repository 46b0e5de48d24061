-- Undo pgwf 0004: drop the API tokens table (every token is lost).
SET LOCAL ROLE pgwf_owner;

DROP TABLE entitlements.api_tokens;

RESET ROLE;
