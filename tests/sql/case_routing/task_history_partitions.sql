-- flowable.task_history is partitioned by month of action_at (docs/operations.md, "Partitions"):
-- the key holds the partition key, history lands in its month, maintain_partitions makes the
-- months ahead (moving rows the default partition caught) and drops expired months once no row
-- in them belongs to a process instance that still exists; people never reach a partition.
BEGIN;
SELECT plan(14);

SELECT is((SELECT relkind::text FROM pg_class WHERE oid = 'flowable.task_history'::regclass), 'p',
    'task_history is a partitioned table');
SELECT is((SELECT pg_get_partkeydef('flowable.task_history'::regclass)), 'RANGE (action_at)', 'partitioned by range of action_at');
SELECT col_is_pk('flowable', 'task_history', ARRAY['history_id', 'action_at'], 'the primary key holds the partition key');
SELECT col_not_null('flowable', 'task_history', 'action_at', 'action_at, the partition key, is never NULL');
SELECT ok(NOT has_schema_privilege('pgwf_app', 'pgwf_partitions', 'USAGE')
          AND NOT has_schema_privilege('pgwf_reporting', 'pgwf_partitions', 'USAGE')
          AND NOT has_schema_privilege('pgwf_worker', 'pgwf_partitions', 'USAGE'),
    'no group role reaches a partition except through the parent, its grants and policies');

CREATE TEMP VIEW months AS
    SELECT c.relname::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'flowable.task_history'::regclass;
SELECT ok((SELECT count(*) FROM months WHERE name IN (
               'task_history_' || to_char(now() AT TIME ZONE 'UTC', 'YYYY_MM'),
               'task_history_' || to_char((now() AT TIME ZONE 'UTC') + interval '1 month', 'YYYY_MM'),
               'task_history_default')) = 3,
    'the current month, the next one and the default partition exist');
SELECT is(automation.maintain_partitions(), '{"created": [], "dropped": []}'::jsonb, 'maintain_partitions is idempotent');

SELECT tests.cr_queue('hq');
SELECT tests.cr_task('t1', 'hq');
INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by) VALUES ('t1', 'pi-t1', 'COMMENT', 'SYSTEM');
SELECT is((SELECT tableoid::regclass::text FROM flowable.task_history WHERE task_id = 't1'),
    'pgwf_partitions.task_history_' || to_char(now() AT TIME ZONE 'UTC', 'YYYY_MM'), 'a new history row lands in the current month');

-- a month missing (maintenance stopped): its rows go to the default partition and move when the month is made
SELECT set_config('pgwf.partitions_ahead_months', '3', true);
CREATE TEMP TABLE far AS SELECT date_trunc('month', (now() AT TIME ZONE 'UTC') + interval '3 months') AT TIME ZONE 'UTC' + interval '1 day' AS at;
INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, action_at)
SELECT 't1', 'pi-t1', 'COMMENT', 'SYSTEM', at FROM far;
SELECT is((SELECT tableoid::regclass::text FROM flowable.task_history WHERE action_at = (SELECT at FROM far)),
    'pgwf_partitions.task_history_default', 'a row of a month without a partition goes to the default partition');
SELECT is(jsonb_array_length(automation.maintain_partitions() -> 'created'), 2, 'with pgwf.partitions_ahead_months = 3 two more months are made');
SELECT results_eq($$SELECT tableoid::regclass::text, client_info ? 'login' FROM flowable.task_history WHERE action_at = (SELECT at FROM far)$$,
    format($$VALUES ('pgwf_partitions.task_history_%s', true)$$, to_char((SELECT at FROM far) AT TIME ZONE 'UTC', 'YYYY_MM')),
    'the caught row moved into its new month, as it was');

-- expired months: dropped once no row in them belongs to an existing process instance, never while the TTL is unset
SET LOCAL ROLE pgwf_owner;  -- the owner's, as maintain_partitions makes them
CREATE TABLE pgwf_partitions.task_history_2001_01 PARTITION OF flowable.task_history
    FOR VALUES FROM ('2001-01-01 00:00:00+00') TO ('2001-02-01 00:00:00+00');
CREATE TABLE pgwf_partitions.task_history_2001_02 PARTITION OF flowable.task_history
    FOR VALUES FROM ('2001-02-01 00:00:00+00') TO ('2001-03-01 00:00:00+00');
RESET ROLE;
INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, action_at)
VALUES ('gone', 'pi-removed', 'COMMENT', 'SYSTEM', '2001-01-15'), ('t1', 'pi-t1', 'COMMENT', 'SYSTEM', '2001-02-15');
SELECT is(automation.maintain_partitions() -> 'dropped', '[]'::jsonb, 'without a history time-to-live no month is dropped');
SELECT set_config('pgwf.history_ttl_days', '365', true);
SELECT is(automation.maintain_partitions() -> 'dropped', '["task_history_2001_01"]'::jsonb,
    'an expired month whose rows belong to no existing process instance is dropped');
SELECT is((SELECT count(*) FROM flowable.task_history WHERE action_at = '2001-02-15'), 1::bigint,
    'an expired month holding history of an existing process instance stays');

SELECT * FROM finish();
ROLLBACK;
