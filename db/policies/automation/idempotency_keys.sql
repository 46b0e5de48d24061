-- Row-level security of automation.idempotency_keys: bookkeeping of the task and run functions,
-- no grant to any group role; only the engine (pgwf_owner) reads and writes it.
ALTER TABLE automation.idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE automation.idempotency_keys FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON automation.idempotency_keys TO pgwf_owner USING (true) WITH CHECK (true);
