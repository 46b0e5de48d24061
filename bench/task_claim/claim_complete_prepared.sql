-- claim_complete.sql for pgbench -M prepared (extended protocol, statements parsed and planned
-- once per connection, as psycopg does for a statement a connection repeats): :tid is then a
-- bound parameter, not SQL text, so it is kept unquoted.
\set uid random(1, 8)
SELECT c.task_id AS tid
FROM pg_catalog.set_config('app.current_user_id', 'agent' || :uid, true) AS me,
     flowable.claim_next_task(me, '{Q1,Q2,Q3,Q4,Q5}') AS c \gset
SELECT (flowable.complete_task(:tid, 'DONE')).status
FROM pg_catalog.set_config('app.current_user_id', 'agent' || :uid, true) AS me;
