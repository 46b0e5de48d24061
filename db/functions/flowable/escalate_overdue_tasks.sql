-- Escalate unfinished tasks past their due date (case-routing-schema.md, stored procedure 2),
-- following each queue's escalation_config. Called every minute by run_maintenance / pgwf scheduler.
-- p_escalated (INOUT, so a plain `CALL flowable.escalate_overdue_tasks()` still works) returns how
-- many tasks this call escalated, counted from the statement itself (no rescan of workflow_tasks).
CREATE OR REPLACE PROCEDURE flowable.escalate_overdue_tasks(INOUT p_escalated integer DEFAULT NULL)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- One escalation at a time (run_maintenance or a direct CALL): two would lock their tasks'
    -- queue rows in different orders. A second caller returns at once with 0, as run_maintenance
    -- does; the first escalates everything due.
    IF NOT pg_catalog.pg_try_advisory_xact_lock(pg_catalog.hashtext('pgwf.escalate_overdue_tasks')) THEN
        p_escalated := 0;
        RETURN;
    END IF;
    -- Numbers go through numeric: the config check accepts any whole number, also one written 10.0.
    -- One set-based statement for every level: the level a task reaches is its escalation_level + 1,
    -- and that level's settings are looked up per row in its queue's escalation_config.
    -- The UPDATE joins the table to itself (o = the row as this statement's snapshot saw it) so
    -- RETURNING gives the true old status and assignee. A row changed meanwhile by a concurrent
    -- claim, completion or reassignment is re-checked after that transaction ends (EvalPlanQual): if
    -- its status, assignee, level or queue moved, it is left alone now and considered on the next run
    -- (under the settings of the queue it is in then). The due rows are locked first, in task_id
    -- order, skipping any that another transaction holds (a claim or completion in progress: it
    -- is looked at again on the next call), so escalation never waits for a task row while it
    -- may hold queue rows; queue counters (AFTER ROW triggers) are touched only after every task
    -- row is done.
    WITH cfg AS (
        SELECT q.queue_name,
               COALESCE(q.escalation_config -> 'levels', '{}'::jsonb) AS levels,
               LEAST(COALESCE((q.escalation_config ->> 'max_level')::numeric::int, 3), 3) AS max_level,
               pg_catalog.make_interval(mins => COALESCE((q.escalation_config ->> 'repeat_after_minutes')::numeric::int, 60)) AS repeat_after
        FROM flowable.workflow_queues q
        WHERE COALESCE((q.escalation_config ->> 'enabled')::boolean, true)
    ), due AS (
        SELECT o.task_id, o.status AS old_status, o.assignee_id AS old_assignee, o.escalation_level AS old_level,
               o.queue_name AS old_queue,
               COALESCE(c.levels -> (o.escalation_level + 1)::text, '{}'::jsonb) AS lvl
        FROM flowable.workflow_tasks o
        JOIN cfg c ON c.queue_name = o.queue_name
        WHERE o.status IN ('OPEN', 'CLAIMED', 'ESCALATED')
          AND o.due_date IS NOT NULL
          AND o.due_date < pg_catalog.now()
          AND o.escalation_level < c.max_level
          AND (o.escalated_at IS NULL OR o.escalated_at <= pg_catalog.now() - c.repeat_after)
        ORDER BY o.task_id
        FOR UPDATE OF o SKIP LOCKED
    ), escalated AS (
        UPDATE flowable.workflow_tasks t
        SET escalation_level = d.old_level + 1,
            escalated_at = pg_catalog.now(),
            status = 'ESCALATED',
            queue_name = COALESCE(tq.queue_name, t.queue_name),
            -- a release hands the task back to its queue: no holder and no owner, as unclaim_task
            assignee_id = CASE WHEN (d.lvl ->> 'release')::boolean THEN NULL ELSE t.assignee_id END,
            claimed_by = CASE WHEN (d.lvl ->> 'release')::boolean THEN NULL ELSE t.claimed_by END,
            claimed_at = CASE WHEN (d.lvl ->> 'release')::boolean THEN NULL ELSE t.claimed_at END,
            priority = COALESCE((d.lvl ->> 'set_priority')::numeric::int,
                                t.priority + COALESCE((d.lvl ->> 'priority_boost')::numeric::int, 0)),
            due_date = t.due_date + pg_catalog.make_interval(mins => COALESCE((d.lvl ->> 'extend_due_minutes')::numeric::int, 0))
        FROM due d
        LEFT JOIN flowable.workflow_queues tq
               ON tq.queue_name = d.lvl ->> 'move_to_queue' AND tq.is_active IS TRUE
        WHERE t.task_id = d.task_id
          AND t.status = d.old_status
          AND t.assignee_id IS NOT DISTINCT FROM d.old_assignee
          AND t.escalation_level = d.old_level
          AND t.queue_name = d.old_queue
        RETURNING t.task_id, t.process_instance_id, t.assignee_id, t.queue_name, t.escalation_level AS new_level,
                  d.old_status, d.old_assignee, d.lvl, tq.queue_name AS move_to
    ), hist AS (
        INSERT INTO flowable.task_history (
            task_id, process_instance_id, action_type, action_by,
            old_status, new_status, old_assignee, new_assignee, escalate_to, comments, action_data
        )
        SELECT e.task_id, e.process_instance_id, 'ESCALATE', 'SYSTEM',
               e.old_status, 'ESCALATED', e.old_assignee, e.assignee_id,
               COALESCE(e.move_to, e.lvl ->> 'notify_role'),
               'Auto-escalated due to SLA breach',
               CASE WHEN e.lvl = '{}'::jsonb
                    THEN pg_catalog.jsonb_build_object('level', e.new_level, 'queue', e.queue_name)
                    ELSE pg_catalog.jsonb_build_object('level', e.new_level, 'queue', e.queue_name) || e.lvl END
        FROM escalated e
        RETURNING 1
    ), batch AS (
        -- A level that names notify_role: one outbox row per (queue, level, role, channel) of this
        -- run, addressed to the active users holding that active role now (their email on the
        -- email channel, else their user_id), for the notifier to deliver.
        SELECT e.queue_name, e.new_level, e.lvl ->> 'notify_role' AS notify_role,
               COALESCE(e.lvl ->> 'notify_channel', 'email') AS channel,
               pg_catalog.jsonb_agg(e.task_id ORDER BY e.task_id) AS task_ids,
               pg_catalog.count(*) AS n
        FROM escalated e
        WHERE e.lvl ? 'notify_role'
        GROUP BY 1, 2, 3, 4
    ), notes AS (
        INSERT INTO automation.workflow_notifications (notification_type, channel, recipients, subject, message, notification_data)
        SELECT 'task_escalation', b.channel,
               COALESCE((SELECT pg_catalog.jsonb_agg(CASE WHEN b.channel = 'email' THEN u.email ELSE u.user_id END ORDER BY u.user_id)
                         FROM entitlements.users u
                         WHERE u.is_active IS TRUE
                           AND (b.channel <> 'email' OR u.email IS NOT NULL)
                           AND EXISTS (SELECT 1 FROM entitlements.current_grants g
                                       WHERE g.user_id = u.user_id AND g.role_code = b.notify_role)),
                        '[]'::jsonb),
               pg_catalog.left(pg_catalog.format('%s overdue task(s) escalated to level %s in queue %s', b.n, b.new_level, b.queue_name), 255),
               pg_catalog.format('%s overdue task(s) of queue %s reached escalation level %s: %s',
                                 b.n, b.queue_name, b.new_level, b.task_ids #>> '{}'),
               pg_catalog.jsonb_build_object('queue', b.queue_name, 'level', b.new_level,
                                             'notify_role', b.notify_role, 'task_ids', b.task_ids)
        FROM batch b
        RETURNING 1
    )
    SELECT pg_catalog.count(*)::integer INTO p_escalated FROM escalated;
END;
$$;

COMMENT ON PROCEDURE flowable.escalate_overdue_tasks(integer) IS
    'Escalates every unfinished task (OPEN, CLAIMED, ESCALATED) whose due_date has passed, one level per run and at most to level 3 (or the queue''s escalation_config.max_level), waiting repeat_after_minutes (default 60) between levels. Per level the queue''s escalation_config.levels."<n>" may raise or set the priority, move the task to another queue, release its assignee (and owner), extend its due date and name a role to notify (docs/task-service.md). The task becomes ESCALATED: claimable when unassigned, completable by its assignee. One ESCALATE history row per task with its true old status and assignee; a task changed or locked concurrently is left for the next run (SKIP LOCKED). One call at a time (a transaction-level advisory lock): a concurrent second call escalates nothing and returns 0. A level naming notify_role queues one task_escalation row in automation.workflow_notifications per queue, level and role, addressed to the role''s active holders. p_escalated returns the number of tasks escalated.';

REVOKE ALL ON PROCEDURE flowable.escalate_overdue_tasks(integer) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE flowable.escalate_overdue_tasks(integer) TO pgwf_worker;
