-- 360,000 task history rows of 36,000 tasks over the twelve months before now (ten rows a task,
-- a task's rows within an hour), appended in time order as the task service writes them.
SET ROLE pgwf_owner;
INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, action_at, new_status)
SELECT 'task-' || t, 'run-' || (t / 3), (ARRAY['CREATE','CLAIM','UPDATE','COMMENT','UPDATE','UNCLAIM','CLAIM','UPDATE','COMMENT','COMPLETE'])[s],
       'user' || (t % 50), now() - interval '365 days' + t * interval '876 seconds' + s * interval '5 minutes', 'OPEN'
FROM generate_series(1, 36000) t CROSS JOIN generate_series(1, 10) s
ORDER BY t, s;
RESET ROLE;
ANALYZE flowable.task_history;
