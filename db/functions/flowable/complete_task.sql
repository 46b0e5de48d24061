-- Complete a task the current user holds, with an outcome, a reason and the submitted form data
-- (the inbox's "complete" / "approve" / "reject"). The engine resumes the run from its own trigger.
-- With an idempotency key, a repeat returns the first answer instead of PW409.
CREATE OR REPLACE FUNCTION flowable.complete_task(
    p_task_id varchar,
    p_outcome varchar DEFAULT NULL,
    p_outcome_reason text DEFAULT NULL,
    p_form_data jsonb DEFAULT '{}',
    p_idempotency_key varchar DEFAULT NULL
) RETURNS flowable.workflow_tasks
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_me varchar := entitlements.current_user_id();
    v_old flowable.workflow_tasks;
    v_task flowable.workflow_tasks;
    v_status text;
    v_round integer;
    v_problems text;
    v_replay jsonb;
BEGIN
    IF p_idempotency_key IS NOT NULL THEN
        v_replay := automation.idempotency_begin(p_idempotency_key, 'complete_task',
            pg_catalog.jsonb_build_array(p_task_id, p_outcome, p_outcome_reason, p_form_data));
        IF v_replay IS NOT NULL THEN
            RETURN pg_catalog.jsonb_populate_record(NULL::flowable.workflow_tasks, v_replay);
        END IF;
    END IF;
    IF pg_catalog.length(p_outcome) > 100 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400',
            MESSAGE = format('complete_task: p_outcome of task %s is longer than 100 characters (%s)', p_task_id, pg_catalog.length(p_outcome)),
            HINT = 'An outcome is a short code such as APPROVED; say why in p_outcome_reason.';
    END IF;
    -- The usual case is one statement: an active user completes a task they hold. The status it
    -- had is part of the UPDATE's condition, so it is the true old status for history even when
    -- the row changed while the UPDATE waited for it (the condition is checked again on the
    -- newest version): first as CLAIMED, then as ESCALATED. The holder is compared with IS TRUE so
    -- that the planner always finds the row by its key, never through idx_workflow_tasks_assignee.
    -- When neither completes it, the checks every task function makes say why and refuse; should
    -- they pass (the task became completable meanwhile), the row is now locked and the second
    -- round completes it.
    FOR v_round IN 1..2 LOOP
        FOREACH v_status IN ARRAY '{CLAIMED,ESCALATED}'::text[] LOOP
            WITH done AS (
                UPDATE flowable.workflow_tasks t
                SET status = 'COMPLETED', completed_at = pg_catalog.now(), completed_by = v_me,
                    outcome = p_outcome, outcome_reason = p_outcome_reason,
                    -- merging nothing keeps the stored document as it is (no jsonb rebuilt)
                    form_data = CASE WHEN p_form_data IS NULL OR p_form_data = '{}'::jsonb THEN COALESCE(t.form_data, '{}'::jsonb)
                                     ELSE COALESCE(t.form_data, '{}'::jsonb) || p_form_data END
                WHERE t.task_id = p_task_id
                  AND t.status = v_status
                  AND (t.assignee_id = v_me) IS TRUE
                  AND (p_form_data IS NULL OR pg_catalog.jsonb_typeof(p_form_data) = 'object')
                  -- a task with a form (task_data.form) completes only with data that fills it
                  AND (NOT (t.task_data ? 'form')
                       OR flowable.form_data_problems(t.task_data -> 'form',
                              COALESCE(t.form_data, '{}'::jsonb) || COALESCE(p_form_data, '{}'::jsonb)) IS NULL)
                  -- the holder may still work: active, with a role valid now (entitlements.has_valid_role)
                  AND EXISTS (SELECT 1 FROM entitlements.current_grants g WHERE g.user_id = v_me)
                RETURNING t.*
            ), logged AS (
                INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by,
                                                   old_status, new_status, old_assignee, new_assignee, comments, action_data)
                SELECT d.task_id, d.process_instance_id, 'COMPLETE', v_me, v_status, 'COMPLETED', v_me, v_me,
                       p_outcome_reason, CASE WHEN p_outcome IS NULL THEN '{}'::jsonb
                            ELSE pg_catalog.jsonb_object(ARRAY['outcome', p_outcome]::text[]) END
                FROM done d
            )
            SELECT * INTO v_task FROM done;
            IF FOUND THEN
                IF p_idempotency_key IS NOT NULL THEN
                    PERFORM automation.idempotency_finish(p_idempotency_key, pg_catalog.to_jsonb(v_task));
                END IF;
                RETURN v_task;
            END IF;
        END LOOP;
        EXIT WHEN v_round = 2;

        v_me := flowable.acting_user('complete_task');
        v_old := flowable.lock_task(p_task_id, v_me, 'complete_task');
        IF v_old.status NOT IN ('CLAIMED', 'ESCALATED') OR v_old.assignee_id IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'PW409',
                MESSAGE = format('complete_task: task %s is %s%s and cannot be completed', p_task_id, v_old.status,
                                 CASE WHEN v_old.status = 'DELEGATED' THEN ' (the delegate resolves it first)' ELSE '' END),
                HINT = 'Claim the task first; only its holder completes it.';
        END IF;
        IF v_old.assignee_id <> v_me THEN
            RAISE EXCEPTION USING ERRCODE = 'PW403',
                MESSAGE = format('complete_task: task %s is held by %s, not %s', p_task_id, v_old.assignee_id, v_me);
        END IF;
        IF p_form_data IS NOT NULL AND pg_catalog.jsonb_typeof(p_form_data) <> 'object' THEN
            RAISE EXCEPTION USING ERRCODE = 'PW400',
                MESSAGE = format('complete_task: form data of task %s must be a JSON object', p_task_id);
        END IF;
        v_problems := flowable.form_data_problems(v_old.task_data -> 'form',
                          COALESCE(v_old.form_data, '{}'::jsonb) || COALESCE(p_form_data, '{}'::jsonb));
        IF v_problems IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'PW422',
                MESSAGE = format('complete_task: the form data of task %s does not fill its form %s', p_task_id,
                                 COALESCE(v_old.form_key, '(task_data.form)')),
                DETAIL = v_problems;
        END IF;
    END LOOP;
    -- not reached: the checks above refuse whatever the locked row's update would not take
    RAISE EXCEPTION USING ERRCODE = 'XX000',
        MESSAGE = format('complete_task: task %s passed every check but was not completed', p_task_id);
END;
$$;

COMMENT ON FUNCTION flowable.complete_task(varchar, varchar, text, jsonb, varchar) IS
    'The holder completes the task (CLAIMED or ESCALATED) with an outcome, an outcome reason and form data (merged into form_data). Errors: PW401, PW404, PW409 not held (OPEN, DELEGATED, finished), PW403 held by someone else, PW400 form data not an object or an outcome longer than 100 characters, PW422 form data that does not fill the task''s form (task_data.form, flowable.form_data_problems; one problem a line in the detail). One COMPLETE history row. With p_idempotency_key, a repeat by the same user returns the first result (the completed task), the key with other arguments is PW422.';

REVOKE ALL ON FUNCTION flowable.complete_task(varchar, varchar, text, jsonb, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.complete_task(varchar, varchar, text, jsonb, varchar) TO pgwf_app;
