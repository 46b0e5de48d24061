-- One worker iteration: lease one external step, then report it done, as two transactions
-- (what pgwf worker does per step). The worker id is the pgbench client.
BEGIN;
SELECT quote_literal(execution_id) AS eid FROM automation.claim_steps('w' || :client_id, '{action}', 60, 1) \gset
COMMIT;
BEGIN;
SELECT automation.complete_step(:eid, '{"status": 200}', 'w' || :client_id);
COMMIT;
