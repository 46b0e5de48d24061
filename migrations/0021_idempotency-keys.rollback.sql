-- Undo pgwf 0021: the remembered idempotency keys go (a retry is then a new call again).
SET LOCAL ROLE pgwf_owner;

DROP TABLE automation.idempotency_keys;

RESET ROLE;
