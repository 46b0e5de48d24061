-- No column of the four pgwf schemas is `timestamp without time zone`: every TIMESTAMP of the
-- specifications is timestamptz (docs/spec-deviations.md, "TIMESTAMP columns are timestamptz").
BEGIN;
SELECT plan(3);

SELECT is_empty($$
    SELECT n.nspname, c.relname, a.attname
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname IN ('entitlements', 'flowable', 'onecms', 'automation')
      AND c.relkind IN ('r', 'p', 'v', 'm')
      AND a.attnum > 0 AND NOT a.attisdropped
      AND a.atttypid = 'timestamp without time zone'::regtype$$,
    'no table or view column in entitlements, flowable, onecms or automation is timestamp without time zone');
SELECT ok((SELECT count(*) >= 40 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname IN ('entitlements', 'flowable', 'onecms', 'automation') AND c.relkind = 'r'
             AND a.attnum > 0 AND NOT a.attisdropped
             AND a.atttypid = 'timestamp with time zone'::regtype),
    'the specifications'' time columns are there, as timestamptz');
SELECT col_type_is('flowable', 'workflow_tasks', 'due_date', 'timestamp with time zone',
    'workflow_tasks.due_date, compared with now() by escalation, is timestamptz');

SELECT * FROM finish();
ROLLBACK;
