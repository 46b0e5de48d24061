-- One automated run of the 10-node bench graph, started and completed in one transaction.
-- :wid is the deployed workflow version, passed quoted: -D wid="'<uuid>'".
SELECT set_config('app.current_user_id', 'bench', false);
SELECT automation.start_workflow(:wid::uuid, '{"cvss_score": 9.1, "asset": "web01"}');
