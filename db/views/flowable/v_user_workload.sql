-- Reporting: per active user and each workflow role they hold now, their claimed tasks, tasks
-- completed in the last 7 days and mean task duration (case-routing-schema.md, view 2).
CREATE VIEW flowable.v_user_workload AS
SELECT
    u.user_id,
    u.username,
    NULLIF(concat_ws(' ', u.first_name, u.last_name), '') AS full_name,
    wr.role_code,
    wr.role_name,
    COUNT(CASE WHEN t.status = 'CLAIMED' THEN 1 END) AS claimed_tasks,
    COUNT(CASE WHEN t.status = 'COMPLETED'
          AND t.completed_at > CURRENT_TIMESTAMP - INTERVAL '7 days' THEN 1 END) AS completed_last_week,
    AVG(CASE WHEN t.status = 'COMPLETED'
        THEN EXTRACT(EPOCH FROM (t.completed_at - t.claimed_at)) / 3600
    END) AS avg_task_duration_hours
FROM entitlements.users u
JOIN entitlements.user_workflow_roles uwr ON u.user_id = uwr.user_id
JOIN entitlements.workflow_roles wr ON uwr.role_id = wr.role_id
LEFT JOIN flowable.workflow_tasks t ON u.user_id = t.assignee_id
WHERE u.is_active = TRUE
  AND wr.is_active = TRUE
  AND (uwr.valid_from IS NULL OR uwr.valid_from <= CURRENT_TIMESTAMP)
  AND (uwr.valid_until IS NULL OR uwr.valid_until > CURRENT_TIMESTAMP)
GROUP BY u.user_id, u.username, u.first_name, u.last_name, wr.role_code, wr.role_name;

COMMENT ON VIEW flowable.v_user_workload IS 'Per active user and each active role they hold now (valid_from <= now() < valid_until): tasks they hold (CLAIMED), tasks they completed in the last 7 days and the mean hours from claim to completion. The task figures are the user''s, repeated on each of their role rows.';
COMMENT ON COLUMN flowable.v_user_workload.full_name IS 'First and last name joined by a space, whichever are set; NULL when neither is.';
COMMENT ON COLUMN flowable.v_user_workload.claimed_tasks IS 'Tasks with status CLAIMED assigned to the user.';
COMMENT ON COLUMN flowable.v_user_workload.completed_last_week IS 'Tasks the user completed in the last 7 days.';
COMMENT ON COLUMN flowable.v_user_workload.avg_task_duration_hours IS 'Mean hours from claimed_at to completed_at of the user''s completed tasks; NULL when none.';

GRANT SELECT ON flowable.v_user_workload TO pgwf_reporting, pgwf_app;
