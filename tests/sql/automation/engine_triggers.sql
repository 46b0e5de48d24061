-- Triggers: cron in SQL with time zones (a missed minute fires once), schedule triggers through
-- maintenance, event matching (source, severity, CVSS threshold, asset groups), webhooks with a
-- hashed token and an allowedIPs check, idempotency keys, and the version a trigger starts.
BEGIN;
SELECT plan(34);

-- cron
SELECT is(automation.cron_latest_due('0 9 * * 1-5', 'UTC', '2026-11-20 00:00+00', '2026-11-23 12:00+00'),
    '2026-11-23 09:00+00'::timestamptz, 'a weekday 9:00 schedule is due Monday 9:00, not over the weekend');
SELECT is(automation.cron_latest_due('0 9 * * MON-FRI', 'UTC', '2026-11-21 00:00+00', '2026-11-22 23:59+00'),
    NULL, 'day names work and nothing is due on a weekend');
SELECT is(automation.cron_latest_due('0 9 * * *', 'America/New_York', '2026-11-23 00:00+00', '2026-11-23 20:00+00'),
    '2026-11-23 14:00+00'::timestamptz, 'the cron expression is read in the trigger''s time zone');
SELECT is(automation.cron_latest_due('*/15 * * * *', 'UTC', '2026-11-23 10:00+00', '2026-11-23 10:44+00'),
    '2026-11-23 10:30+00'::timestamptz, 'steps: */15 is due at the latest quarter hour');
SELECT is(automation.cron_latest_due('0 0 14 * 5', 'UTC', '2026-11-10 00:00+00', '2026-11-16 12:00+00'),
    '2026-11-14 00:00+00'::timestamptz, 'with day-of-month and day-of-week both restricted either may match (cron''s rule)');
SELECT is(automation.cron_latest_due('30 8 1 JAN *', 'UTC', '2026-11-23 00:00+00', '2026-11-23 12:00+00'),
    NULL, 'a schedule not due in the window gives NULL');
SELECT is(automation.cron_latest_due('30 1 * * *', 'America/New_York', '2026-11-01 05:31+00', '2026-11-01 07:00+00'),
    '2026-11-01 06:30+00'::timestamptz, 'when clocks go back, a local time that happens twice fires again the second time');
SELECT is(automation.cron_latest_due('30 2 * * *', 'America/New_York', '2026-03-08 05:00+00', '2026-03-08 09:00+00'),
    NULL, 'when clocks go forward, a skipped local time does not fire');
SELECT throws_ok($$SELECT automation.cron_parse('61 * * * *')$$, 'PW422', 'cron field ''61'': ''61'' is outside 0-59', 'a minute above 59 is refused');
SELECT throws_ok($$SELECT automation.cron_parse('* * *')$$, 'PW422', NULL, 'a cron expression needs five fields');
SELECT throws_ok($$SELECT automation.cron_parse('every minute * * * *')$$, 'PW422', NULL, 'words are not cron');

-- schedule triggers fire through maintenance, once for missed minutes
SELECT tests.as_user('modeler');
CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["note", "notification"]]', '[["start", "note"]]')) AS id;
SELECT tests.as_user('modeler');
SELECT throws_ok($$SELECT * FROM automation.save_trigger((SELECT id FROM wf), 'schedule', '{"cronExpression": "* * * * *", "timezone": "Mars/Olympus"}')$$,
    'PW422', 'configuration.timezone ''Mars/Olympus'' is not a known time zone', 'an unknown time zone is refused');
CREATE TEMP TABLE sched AS SELECT trigger_id AS id FROM automation.save_trigger((SELECT id FROM wf), 'schedule', '{"cronExpression": "* * * * *", "timezone": "UTC"}', 'cron');
UPDATE automation.workflow_triggers SET last_triggered = now() - interval '10 minutes' WHERE id = (SELECT id FROM sched);
SELECT is(automation.fire_due_schedules(), 1, 'ten missed minutes fire the schedule once');
SELECT results_eq($$SELECT trigger_count, last_triggered = date_trunc('minute', now()) FROM automation.workflow_triggers WHERE id = (SELECT id FROM sched)$$,
    $$VALUES (1, true)$$, 'trigger_count counts the firing and last_triggered is the minute fired');
SELECT results_eq($$SELECT trigger_source::text, triggered_by::text, status::text FROM automation.workflow_instances WHERE triggered_by LIKE 'schedule:%'$$,
    $$SELECT 'schedule', 'schedule:' || (SELECT id FROM sched), 'completed'$$, 'the scheduled run records its trigger');
SELECT is(automation.fire_due_schedules(), 0, 'nothing more is due in the same minute');

-- events
CREATE TEMP TABLE ev AS SELECT trigger_id AS id FROM automation.save_trigger((SELECT id FROM wf), 'event',
    '{"severity": ["high", "critical"], "cvssThreshold": 7.0, "assetGroups": ["production", "critical"]}', 'tenable');
SELECT automation.save_trigger((SELECT id FROM wf), 'event', '{"eventType": "merge"}', 'gitlab');
SELECT results_eq($$SELECT trigger_id, status FROM automation.publish_event('tenable', 'vulnerability',
                      '{"severity": "Critical", "cvss_score": 9.1, "asset_groups": ["production"], "asset": "web01"}')$$,
    $$SELECT (SELECT id FROM ev), 'started'$$, 'an event matching severity, CVSS threshold and asset group starts the matching trigger only');
SELECT is((SELECT count(*) FROM automation.publish_event('tenable', 'vulnerability', '{"severity": "critical", "cvss_score": 6.9, "asset_groups": ["production"]}')),
    0::bigint, 'a CVSS under the threshold starts nothing');
SELECT is((SELECT count(*) FROM automation.publish_event('tenable', 'vulnerability', '{"severity": "low", "cvss_score": 9.9, "asset_groups": ["production"]}')),
    0::bigint, 'a severity outside the list starts nothing');
SELECT is((SELECT count(*) FROM automation.publish_event('tenable', 'vulnerability', '{"severity": "high", "cvss_score": 9.9, "asset_groups": ["lab"]}')),
    0::bigint, 'an asset group outside the list starts nothing');
SELECT is((SELECT count(*) FROM automation.publish_event('qualys', 'vulnerability', '{"severity": "high", "cvss_score": 9.9, "asset_groups": ["production"]}')),
    0::bigint, 'another source starts nothing');
CREATE TEMP TABLE once AS SELECT * FROM automation.publish_event('tenable', 'vulnerability', '{"severity": "high", "cvss_score": 8, "assetGroups": ["critical"]}', 'finding-42');
CREATE TEMP TABLE twice AS SELECT * FROM automation.publish_event('tenable', 'vulnerability', '{"severity": "high", "cvss_score": 8, "assetGroups": ["critical"]}', 'finding-42');
SELECT results_eq($$SELECT t.status, t.instance_id = o.instance_id FROM twice t, once o$$, $$VALUES ('duplicate', true)$$,
    'a repeated delivery with the same idempotency key starts nothing and names the first run');
SELECT is((SELECT count(*) FROM automation.workflow_instances WHERE triggered_by = 'event:' || (SELECT id FROM ev)), 2::bigint,
    'the event trigger started exactly two runs');
SELECT is((SELECT execution_context -> 'input' ->> 'asset' FROM automation.workflow_instances WHERE triggered_by = 'event:' || (SELECT id FROM ev) ORDER BY started_at, created_at LIMIT 1),
    'web01', 'the event payload is the run''s input');

-- webhooks
SELECT throws_ok($$SELECT * FROM automation.save_trigger((SELECT id FROM wf), 'webhook', '{"endpoint": "/hooks/x", "allowedIPs": ["300.1.1.1/8"]}')$$,
    'PW422', 'webhook configuration.allowedIPs entry ''300.1.1.1/8'' is not an address or CIDR block', 'a malformed allowedIPs entry is refused, named');
CREATE TEMP TABLE hook AS SELECT * FROM automation.save_trigger((SELECT id FROM wf), 'webhook',
    '{"endpoint": "/webhook/security-event", "authentication": "token", "allowedIPs": ["192.168.1.0/24"]}', 'api');
SELECT throws_ok($$SELECT * FROM automation.save_trigger((SELECT id FROM wf), 'webhook', '{"endpoint": "/webhook/security-event"}')$$,
    'PW422', NULL, 'two active webhooks cannot share an endpoint');
SELECT results_eq($$SELECT length(h.token) >= 64, wt.token_hash = encode(sha256(convert_to(h.token, 'UTF8')), 'hex'), strpos(wt.configuration::text, h.token) = 0
                    FROM hook h JOIN automation.workflow_triggers wt ON wt.id = h.trigger_id$$,
    $$VALUES (true, true, true)$$, 'a webhook gets a long random token, stored only as its SHA-256');
SELECT results_eq($$SELECT status, reason FROM automation.receive_webhook('/webhook/security-event', 'guess', '192.168.1.7', '{}')$$,
    $$VALUES ('refused', 'wrong or missing token')$$, 'a wrong token is refused');
SELECT results_eq($$SELECT status, reason FROM automation.receive_webhook('/webhook/security-event', (SELECT token FROM hook), '10.0.0.9', '{}')$$,
    $$VALUES ('refused', 'source address 10.0.0.9 is not in allowedIPs')$$, 'an address outside allowedIPs is refused');
SELECT results_eq($$SELECT status, reason FROM automation.receive_webhook('/webhook/nothing', 'x', '192.168.1.7', '{}')$$,
    $$VALUES ('refused', 'no active webhook trigger at endpoint ''/webhook/nothing''')$$, 'an unknown endpoint is refused');
SELECT is((SELECT count(*) FROM automation.workflow_instances WHERE triggered_by = 'webhook:' || (SELECT trigger_id FROM hook)), 0::bigint,
    'refused deliveries start nothing');
SELECT is((SELECT count(*) FROM automation.workflow_trigger_deliveries WHERE NOT accepted AND trigger_type = 'webhook'), 3::bigint,
    'refused deliveries are logged with their reason');
SELECT results_eq($$SELECT status FROM automation.receive_webhook('/webhook/security-event', (SELECT token FROM hook), '192.168.1.7', '{"finding": 1}', 'd-1')
                    UNION ALL
                    SELECT status FROM automation.receive_webhook('/webhook/security-event', (SELECT token FROM hook), '192.168.1.7', '{"finding": 1}', 'd-1')$$,
    $$VALUES ('started'), ('duplicate')$$, 'the right token from an allowed address starts a run; the same delivery again does not');

-- a trigger starts the model's active deployed version
SELECT tests.as_user('modeler');
CREATE TEMP TABLE v2 AS SELECT automation.save_workflow(tests.automation_graph('[["start", "trigger"], ["v2", "end"]]', '[["start", "v2"]]'), 'engine test', (SELECT id FROM wf)) AS id;
SELECT automation.deploy_workflow((SELECT id FROM v2));
CREATE TEMP TABLE r AS SELECT * FROM automation.publish_event('tenable', 'vulnerability', '{"severity": "high", "cvss_score": 8, "assetGroups": ["critical"]}');
SELECT is((SELECT workflow_id FROM automation.workflow_instances WHERE id = (SELECT instance_id FROM r)), (SELECT id FROM v2),
    'after a new version is deployed the trigger starts it');

SELECT * FROM finish();
ROLLBACK;
