-- The specification's claim_next_task and escalate_overdue_tasks, for the baselines only, in
-- schema bench_spec of the benchmark database. Changes to the spec's text: schema-qualified
-- names, and the ::text[] casts without which its claim cannot run at all (no operator
-- text[] && varchar[]); its ambiguous column references are qualified with the table name.
CREATE SCHEMA IF NOT EXISTS bench_spec;

CREATE OR REPLACE FUNCTION bench_spec.claim_next_task(
    p_user_id VARCHAR(50),
    p_queue_names TEXT[]
) RETURNS TABLE (
    task_id VARCHAR(64),
    task_name VARCHAR(500),
    priority INTEGER
) AS $$
DECLARE
    v_task_id VARCHAR(64);
BEGIN
    SELECT t.task_id INTO v_task_id
    FROM flowable.workflow_tasks t
    WHERE t.queue_name = ANY(p_queue_names)
      AND t.status = 'OPEN'
      AND (t.candidate_groups && (
          SELECT array_agg(wr.role_code)::text[]
          FROM entitlements.user_workflow_roles uwr
          JOIN entitlements.workflow_roles wr ON uwr.role_id = wr.role_id
          WHERE uwr.user_id = p_user_id
            AND (uwr.valid_until IS NULL OR uwr.valid_until > CURRENT_TIMESTAMP)
      ) OR t.candidate_users @> ARRAY[p_user_id]::text[])
    ORDER BY t.priority DESC, t.created_at
    LIMIT 1
    FOR UPDATE SKIP LOCKED;

    IF v_task_id IS NOT NULL THEN
        UPDATE flowable.workflow_tasks
        SET status = 'CLAIMED',
            assignee_id = p_user_id,
            claimed_at = CURRENT_TIMESTAMP,
            claimed_by = p_user_id
        WHERE workflow_tasks.task_id = v_task_id;

        INSERT INTO flowable.task_history (
            task_id, process_instance_id, action_type, action_by,
            old_status, new_status
        )
        SELECT w.task_id, w.process_instance_id, 'CLAIM', p_user_id,
               'OPEN', 'CLAIMED'
        FROM flowable.workflow_tasks w
        WHERE w.task_id = v_task_id;

        RETURN QUERY
        SELECT t.task_id, t.task_name, t.priority
        FROM flowable.workflow_tasks t
        WHERE t.task_id = v_task_id;
    END IF;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE PROCEDURE bench_spec.escalate_overdue_tasks()
AS $$
DECLARE
    v_task RECORD;
BEGIN
    FOR v_task IN
        SELECT t.task_id, t.queue_name, t.escalation_level,
               q.escalation_config
        FROM flowable.workflow_tasks t
        JOIN flowable.workflow_queues q ON t.queue_name = q.queue_name
        WHERE t.status IN ('OPEN', 'CLAIMED')
          AND t.due_date < CURRENT_TIMESTAMP
          AND t.escalation_level < 3
    LOOP
        UPDATE flowable.workflow_tasks
        SET escalation_level = escalation_level + 1,
            escalated_at = CURRENT_TIMESTAMP,
            status = 'ESCALATED'
        WHERE task_id = v_task.task_id;

        INSERT INTO flowable.task_history (
            task_id, process_instance_id, action_type, action_by,
            old_status, new_status, comments
        )
        SELECT task_id, process_instance_id, 'ESCALATE', 'SYSTEM',
               status, 'ESCALATED', 'Auto-escalated due to SLA breach'
        FROM flowable.workflow_tasks
        WHERE task_id = v_task.task_id;
    END LOOP;
END;
$$ LANGUAGE plpgsql;
