-- Reporting: per active queue, how many tasks are open, claimed and escalated, and how long
-- completed tasks took (case-routing-schema.md, view 1). Read by dashboards (pgwf_reporting).
-- The figures are aggregated per queue before the join: the counts from the unfinished tasks alone
-- (index-only scan of idx_workflow_tasks_status), the mean over the completed ones (one scan);
-- same rows as the spec's single join and GROUP BY.
CREATE VIEW flowable.v_active_tasks_by_queue
    WITH (security_invoker = true) AS
SELECT
    q.queue_name,
    q.department_id,
    d.department_name,
    COALESCE(u.open_tasks, 0) AS open_tasks,
    COALESCE(u.claimed_tasks, 0) AS claimed_tasks,
    COALESCE(u.escalated_tasks, 0) AS escalated_tasks,
    c.avg_completion_hours
FROM flowable.workflow_queues q
LEFT JOIN entitlements.departments d ON q.department_id = d.department_id
LEFT JOIN (
    SELECT t.queue_name,
           COUNT(*) FILTER (WHERE t.status = 'OPEN') AS open_tasks,
           COUNT(*) FILTER (WHERE t.status = 'CLAIMED') AS claimed_tasks,
           COUNT(*) FILTER (WHERE t.status = 'ESCALATED') AS escalated_tasks
    FROM flowable.workflow_tasks t
    WHERE t.status IN ('OPEN', 'CLAIMED', 'DELEGATED', 'ESCALATED')
    GROUP BY t.queue_name
) u ON u.queue_name = q.queue_name
LEFT JOIN (
    SELECT t.queue_name,
           -- date_part (float8) averages several times faster than EXTRACT (numeric); the result stays numeric
           (AVG(date_part('epoch', t.completed_at - t.created_at)) / 3600)::numeric AS avg_completion_hours
    FROM flowable.workflow_tasks t
    WHERE t.status = 'COMPLETED'
    GROUP BY t.queue_name
) c ON c.queue_name = q.queue_name
WHERE q.is_active = TRUE;

COMMENT ON VIEW flowable.v_active_tasks_by_queue IS 'Per active queue: open, claimed and escalated task counts and the mean hours from creation to completion of its completed tasks (NULL when none). Runs with the reader''s rights (security_invoker): a person (pgwf_app) gets figures over only the rows row-level security shows them; pgwf_reporting reads every row (reporting_read policies).';
COMMENT ON COLUMN flowable.v_active_tasks_by_queue.open_tasks IS 'Tasks with status OPEN.';
COMMENT ON COLUMN flowable.v_active_tasks_by_queue.claimed_tasks IS 'Tasks with status CLAIMED.';
COMMENT ON COLUMN flowable.v_active_tasks_by_queue.escalated_tasks IS 'Tasks with status ESCALATED (overdue and escalated, not yet finished or re-claimed).';
COMMENT ON COLUMN flowable.v_active_tasks_by_queue.avg_completion_hours IS 'Mean hours from created_at to completed_at over the queue''s COMPLETED tasks; NULL when none.';

GRANT SELECT ON flowable.v_active_tasks_by_queue TO pgwf_reporting, pgwf_app;
