-- Reporting: per active queue, how many tasks are open, claimed and escalated, and how long
-- completed tasks took (case-routing-schema.md, view 1). Read by dashboards (pgwf_reporting).
CREATE VIEW flowable.v_active_tasks_by_queue AS
SELECT
    q.queue_name,
    q.department_id,
    d.department_name,
    COUNT(CASE WHEN t.status = 'OPEN' THEN 1 END) AS open_tasks,
    COUNT(CASE WHEN t.status = 'CLAIMED' THEN 1 END) AS claimed_tasks,
    COUNT(CASE WHEN t.status = 'ESCALATED' THEN 1 END) AS escalated_tasks,
    AVG(CASE WHEN t.status = 'COMPLETED'
        THEN EXTRACT(EPOCH FROM (t.completed_at - t.created_at)) / 3600
    END) AS avg_completion_hours
FROM flowable.workflow_queues q
LEFT JOIN entitlements.departments d ON q.department_id = d.department_id
LEFT JOIN flowable.workflow_tasks t ON q.queue_name = t.queue_name
WHERE q.is_active = TRUE
GROUP BY q.queue_name, q.department_id, d.department_name;

COMMENT ON VIEW flowable.v_active_tasks_by_queue IS 'Per active queue: open, claimed and escalated task counts and the mean hours from creation to completion of its completed tasks (NULL when none).';
COMMENT ON COLUMN flowable.v_active_tasks_by_queue.open_tasks IS 'Tasks with status OPEN.';
COMMENT ON COLUMN flowable.v_active_tasks_by_queue.claimed_tasks IS 'Tasks with status CLAIMED.';
COMMENT ON COLUMN flowable.v_active_tasks_by_queue.escalated_tasks IS 'Tasks with status ESCALATED (overdue and escalated, not yet finished or re-claimed).';
COMMENT ON COLUMN flowable.v_active_tasks_by_queue.avg_completion_hours IS 'Mean hours from created_at to completed_at over the queue''s COMPLETED tasks; NULL when none.';

GRANT SELECT ON flowable.v_active_tasks_by_queue TO pgwf_reporting, pgwf_app;
