-- Escalate unfinished tasks past their due date (case-routing-schema.md, stored procedure 2),
-- following each queue's escalation_config. Called every minute by run_maintenance / pgwf scheduler.
CREATE OR REPLACE PROCEDURE flowable.escalate_overdue_tasks()
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- One set-based statement for every level: the level a task reaches is its
    -- escalation_level + 1, and that level's settings are looked up per row in its queue's
    -- escalation_config. Tasks locked by a concurrent claim/complete are skipped (SKIP LOCKED)
    -- and are considered again on the next run.
    WITH cfg AS (
        SELECT q.queue_name,
               COALESCE(q.escalation_config -> 'levels', '{}'::jsonb) AS levels,
               LEAST(COALESCE((q.escalation_config ->> 'max_level')::int, 3), 3) AS max_level,
               pg_catalog.make_interval(mins => COALESCE((q.escalation_config ->> 'repeat_after_minutes')::int, 60)) AS repeat_after
        FROM flowable.workflow_queues q
        WHERE COALESCE((q.escalation_config ->> 'enabled')::boolean, true)
    ), due AS (
        SELECT t.task_id, t.status AS old_status, t.assignee_id AS old_assignee,
               t.escalation_level + 1 AS new_level,
               COALESCE(c.levels -> (t.escalation_level + 1)::text, '{}'::jsonb) AS lvl,
               tq.queue_name AS move_to
        FROM flowable.workflow_tasks t
        JOIN cfg c ON c.queue_name = t.queue_name
        LEFT JOIN flowable.workflow_queues tq
               ON tq.queue_name = c.levels -> (t.escalation_level + 1)::text ->> 'move_to_queue'
              AND tq.is_active IS TRUE
        WHERE t.status IN ('OPEN', 'CLAIMED', 'ESCALATED')
          AND t.due_date IS NOT NULL
          AND t.due_date < pg_catalog.now()
          AND t.escalation_level < c.max_level
          AND (t.escalated_at IS NULL OR t.escalated_at <= pg_catalog.now() - c.repeat_after)
        FOR UPDATE OF t SKIP LOCKED
    ), escalated AS (
        UPDATE flowable.workflow_tasks t
        SET escalation_level = d.new_level,
            escalated_at = pg_catalog.now(),
            status = 'ESCALATED',
            queue_name = COALESCE(d.move_to, t.queue_name),
            assignee_id = CASE WHEN (d.lvl ->> 'release')::boolean THEN NULL ELSE t.assignee_id END,
            priority = COALESCE((d.lvl ->> 'set_priority')::int,
                                t.priority + COALESCE((d.lvl ->> 'priority_boost')::int, 0)),
            due_date = t.due_date + pg_catalog.make_interval(mins => COALESCE((d.lvl ->> 'extend_due_minutes')::int, 0))
        FROM due d
        WHERE t.task_id = d.task_id
        RETURNING t.task_id, t.process_instance_id, t.assignee_id, t.queue_name,
                  d.old_status, d.old_assignee, d.new_level, d.lvl, d.move_to
    )
    INSERT INTO flowable.task_history (
        task_id, process_instance_id, action_type, action_by,
        old_status, new_status, old_assignee, new_assignee, escalate_to, comments, action_data
    )
    SELECT e.task_id, e.process_instance_id, 'ESCALATE', 'SYSTEM',
           e.old_status, 'ESCALATED', e.old_assignee, e.assignee_id,
           COALESCE(e.move_to, e.lvl ->> 'notify_role'),
           'Auto-escalated due to SLA breach',
           pg_catalog.jsonb_build_object('level', e.new_level, 'queue', e.queue_name) || e.lvl
    FROM escalated e;
END;
$$;

COMMENT ON PROCEDURE flowable.escalate_overdue_tasks() IS
    'Escalates every unfinished task (OPEN, CLAIMED, ESCALATED) whose due_date has passed, one level per run and at most to level 3 (or the queue''s escalation_config.max_level), waiting repeat_after_minutes (default 60) between levels. Per level the queue''s escalation_config.levels."<n>" may raise or set the priority, move the task to another queue, release its assignee, extend its due date and name a role to notify (docs/task-service.md). The task becomes ESCALATED: claimable when unassigned, completable by its assignee. One ESCALATE history row per task with its true old status and assignee.';

REVOKE ALL ON PROCEDURE flowable.escalate_overdue_tasks() FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE flowable.escalate_overdue_tasks() TO pgwf_worker;
