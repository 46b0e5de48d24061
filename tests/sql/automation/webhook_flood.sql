-- A webhook flood leaves bounded storage (issue 16, item 5): a refused delivery is a small
-- fixed record (no payload, reason and endpoint bounded); beyond pgwf.webhook_refusals_per_minute
-- refusals a minute from one source nothing more is stored, only counted in one summary row;
-- run_maintenance purges deliveries after their retention (refused ones sooner).
BEGIN;
SELECT plan(13);

CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["done", "end"]]', '[["start", "done"]]')) AS id;
SELECT set_config('app.current_user_id', 'modeler', true);
CREATE TEMP TABLE hook AS SELECT * FROM automation.save_trigger((SELECT id FROM wf), 'webhook',
    '{"endpoint": "/hooks/flood", "authentication": "token", "allowedIPs": ["192.168.1.0/24"]}', 'api');
SELECT set_config('app.current_user_id', '', true);

-- 1,000 refused deliveries from one address, each with a 1 MB payload and a 10 kB endpoint
CREATE TEMP TABLE big AS SELECT jsonb_build_object('blob', repeat('x', 1024 * 1024)) AS payload;
CREATE TEMP TABLE answers AS
SELECT r.status, r.reason
FROM generate_series(1, 1000) i,
     LATERAL automation.receive_webhook('/hooks/flood', 'guess', '203.0.113.9', (SELECT payload FROM big), 'k' || i) r;
SELECT is((SELECT count(*) FROM answers WHERE status = 'refused'), 1000::bigint, 'every delivery with a wrong token is refused');
SELECT cmp_ok((SELECT count(*) FROM automation.workflow_trigger_deliveries WHERE source_address = '203.0.113.9'), '<=', 10::bigint,
    'at most 10 refusals a minute (the default) from one source are stored');
SELECT is((SELECT count(*) FROM automation.workflow_trigger_deliveries WHERE source_address = '203.0.113.9' AND payload IS NOT NULL), 0::bigint,
    'a refused delivery keeps no payload');
SELECT cmp_ok((SELECT sum(pg_column_size(d.*)) FROM automation.workflow_trigger_deliveries d WHERE source_address = '203.0.113.9')::bigint, '<', 10000::bigint,
    'what the flood left in the delivery log is a few kilobytes');
SELECT results_eq($$SELECT count(*), sum(refusals)::bigint FROM automation.webhook_refusals WHERE source_network = '203.0.113.9'$$,
    $$VALUES (1::bigint, 1000::bigint)$$, 'the rest is only counted, in one summary row for the source and minute');

SELECT is((SELECT status FROM automation.receive_webhook(repeat('/x', 5000), 'guess', '198.51.100.1', '{}')), 'refused', 'an unknown endpoint is refused');
SELECT cmp_ok((SELECT max(length(reason)) FROM automation.workflow_trigger_deliveries WHERE source_address = '198.51.100.1'), '<=', 500,
    'the reason (naming a 10,000-character endpoint) is bounded');
SELECT is((SELECT count(*) FROM automation.workflow_trigger_deliveries WHERE source_address = '198.51.100.1'), 1::bigint,
    'another source has its own allowance');

SELECT set_config('pgwf.webhook_refusals_per_minute', '0', true);
SELECT automation.receive_webhook('/hooks/flood', 'guess', '2001:db8:1:2::7', '{}');
SELECT automation.receive_webhook('/hooks/flood', 'guess', '2001:db8:1:2::8', '{}');
SELECT results_eq($$SELECT source_network, refusals FROM automation.webhook_refusals WHERE family(source_network) = 6$$,
    $$VALUES ('2001:db8:1:2::/64'::inet, 2)$$, 'IPv6 senders are counted by /64 network; a limit of 0 stores no refusal');

-- retention: refused deliveries go after pgwf.refused_delivery_retention_days, accepted ones after pgwf.delivery_retention_days
SELECT is((SELECT status FROM automation.receive_webhook('/hooks/flood', (SELECT token FROM hook), '192.168.1.7', '{"n": 1}', 'ok-1')), 'started',
    'a good delivery still starts its run');
UPDATE automation.workflow_trigger_deliveries SET received_at = now() - interval '8 days' WHERE source_address = '203.0.113.9';
UPDATE automation.workflow_trigger_deliveries SET received_at = now() - interval '8 days' WHERE source_address = '192.168.1.7';
UPDATE automation.webhook_refusals SET window_start = now() - interval '8 days';
CREATE TEMP TABLE m AS SELECT automation.run_maintenance() AS result;
SELECT is((SELECT (result ->> 'deliveries_purged')::integer FROM m), 10, 'run_maintenance purges refused deliveries older than 7 days (the default)');
SELECT results_eq($$SELECT accepted FROM automation.workflow_trigger_deliveries WHERE source_address IN ('203.0.113.9', '192.168.1.7')$$,
    $$VALUES (true)$$, 'an accepted delivery of the same age stays (90 days by default)');
SELECT is((SELECT count(*) FROM automation.webhook_refusals), 0::bigint, 'old summary rows go too');

SELECT * FROM finish();
ROLLBACK;
