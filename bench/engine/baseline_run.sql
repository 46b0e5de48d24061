-- The floor for one run: the same number of rows written by bare INSERTs (one parent, the
-- children of a run) and one UPDATE of the parent, in one transaction, no triggers or logic.
BEGIN;
INSERT INTO bench_floor.runs (status, data) VALUES ('running', '{"cvss_score": 9.1}') RETURNING id \gset
INSERT INTO bench_floor.steps (run_id, node_id, status, data)
SELECT :id, 'n' || i, 'completed', '{}' FROM generate_series(1, :children) AS i;
UPDATE bench_floor.runs SET status = 'completed', progress = 100 WHERE id = :id;
COMMIT;
