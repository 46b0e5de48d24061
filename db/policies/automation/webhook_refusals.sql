-- Row-level security of automation.webhook_refusals: an operations counter no person reads
-- through pgwf_app (no grant); only the engine (pgwf_owner) reads and writes it.
ALTER TABLE automation.webhook_refusals ENABLE ROW LEVEL SECURITY;
ALTER TABLE automation.webhook_refusals FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON automation.webhook_refusals TO pgwf_owner USING (true) WITH CHECK (true);
