-- Starts a deployed BPMN process by key (its active version, or a named one) through the
-- engine (automation.engine_start_run: one run id for workflow_instances and process_instances),
-- fills the process instance's case, priority, tags and SLA, and links the case in
-- onecms.case_workflow_mapping. User tasks reached go to their queues as the run advances.
-- Called by the API, the CLI, the demo and the benchmarks.
CREATE OR REPLACE FUNCTION flowable.start_process(
    p_process_key varchar,
    p_business_key varchar DEFAULT NULL,
    p_variables jsonb DEFAULT '{}'::jsonb,
    p_case_id bigint DEFAULT NULL,
    p_started_by varchar DEFAULT NULL,
    p_priority integer DEFAULT NULL,
    p_tags text[] DEFAULT NULL,
    p_workflow_type varchar DEFAULT NULL,
    p_process_version integer DEFAULT NULL,
    p_idempotency_key varchar DEFAULT NULL
)
RETURNS varchar
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_user varchar;
    v_def flowable.workflow_definitions;
    v_variables jsonb := COALESCE(p_variables, '{}'::jsonb);
    v_run uuid;
    v_sla_minutes integer;
    v_instance flowable.process_instances;
    v_task record;
    v_replay jsonb;
BEGIN
    v_user := entitlements.require_active_user('start_process');
    -- with a key already used: the first start's run, nothing started again
    v_replay := automation.idempotency_begin(p_idempotency_key, 'start_process',
        jsonb_build_array(p_process_key, p_business_key, p_variables, p_case_id, p_started_by, p_priority, p_tags,
                          p_workflow_type, p_process_version));
    IF v_replay IS NOT NULL THEN
        RETURN v_replay #>> '{}';
    END IF;
    -- a run is recorded as started by the person starting it, never by someone else
    IF p_started_by IS NOT NULL AND p_started_by IS DISTINCT FROM v_user THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403',
            MESSAGE = format('start_process: user %s cannot start a process as user %s', v_user, p_started_by),
            DETAIL = 'p_started_by must be NULL or the current identity (app.current_user_id).';
    END IF;
    IF p_process_key IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_process_key is required';
    END IF;
    IF jsonb_typeof(v_variables) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_variables must be a JSON object';
    END IF;
    IF p_priority IS NOT NULL AND p_priority NOT BETWEEN 0 AND 100 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = format('p_priority %s is outside 0..100', p_priority);
    END IF;

    IF p_process_version IS NULL THEN
        SELECT * INTO v_def FROM flowable.workflow_definitions d
        WHERE d.process_key = p_process_key AND d.is_active
        ORDER BY d.process_version DESC LIMIT 1;
    ELSE
        SELECT * INTO v_def FROM flowable.workflow_definitions d
        WHERE d.process_key = p_process_key AND d.process_version = p_process_version;
    END IF;
    IF NOT FOUND THEN
        IF EXISTS (SELECT 1 FROM flowable.workflow_definitions d WHERE d.process_key = p_process_key) THEN
            RAISE EXCEPTION USING ERRCODE = CASE WHEN p_process_version IS NULL THEN 'PW409' ELSE 'PW404' END,
                MESSAGE = CASE WHEN p_process_version IS NULL
                               THEN format('process %s has no active version', p_process_key)
                               ELSE format('process %s has no version %s', p_process_key, p_process_version) END,
                HINT = 'activate a version with flowable.bpmn_activate_version';
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'PW404', MESSAGE = format('process %s is not deployed', p_process_key);
    END IF;
    IF v_def.deployment_id IS NULL OR v_def.deployment_id !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('process %s version %s has no compiled graph to run', p_process_key, v_def.process_version),
            HINT = 'deploy it with flowable.deploy_process';
    END IF;

    -- candidateStarterGroups / candidateStarterUsers of the process: when it names any,
    -- only those users and holders (now) of those roles may start it
    PERFORM automation.require_starter(v_def.deployment_id::uuid, v_user, format('process %s', p_process_key));

    -- Flowable sets "initiator" for the starting user; BPMN files use ${initiator}, and a
    -- start event's flowable:initiator / camunda:initiator names one more variable for it
    IF NOT v_variables ? 'initiator' THEN
        v_variables := v_variables || jsonb_build_object('initiator', v_user);
    END IF;
    IF v_def.start_rules ->> 'initiatorVariable' IS NOT NULL AND NOT v_variables ? (v_def.start_rules ->> 'initiatorVariable') THEN
        v_variables := v_variables || jsonb_build_object(v_def.start_rules ->> 'initiatorVariable', v_user);
    END IF;
    IF p_case_id IS NOT NULL AND NOT v_variables ? 'caseId' THEN
        v_variables := v_variables || jsonb_build_object('caseId', p_case_id);
    END IF;

    v_run := automation.engine_start_run(
        v_def.deployment_id::uuid, v_variables,
        CASE WHEN p_priority IS NULL THEN 'normal' WHEN p_priority >= 90 THEN 'critical'
             WHEN p_priority >= 70 THEN 'high' WHEN p_priority <= 30 THEN 'low' ELSE 'normal' END,
        v_user, 'manual', p_business_key);

    v_sla_minutes := CASE WHEN v_def.sla_config ->> 'defaultSlaMinutes' ~ '^[0-9]+$'
                          THEN (v_def.sla_config ->> 'defaultSlaMinutes')::integer END;
    UPDATE flowable.process_instances pi
    SET case_id = p_case_id,
        priority = COALESCE(p_priority, pi.priority),
        tags = p_tags,
        sla_due_date = CASE WHEN v_sla_minutes IS NOT NULL THEN pi.started_at + make_interval(mins => v_sla_minutes) END,
        metadata = COALESCE(pi.metadata, '{}'::jsonb)
                   || jsonb_build_object('process_key', v_def.process_key, 'process_version', v_def.process_version)
    WHERE pi.process_instance_id = v_run::text
    RETURNING * INTO v_instance;

    IF p_case_id IS NOT NULL THEN
        -- where the case is now: the open tasks the start reached (their keys, the first one's department)
        SELECT string_agg(t.task_definition_key, ', ' ORDER BY t.task_definition_key) AS phase,
               (array_agg(t.queue_name ORDER BY t.task_definition_key))[1] AS queue_name,
               (array_agg(d.department_code ORDER BY t.task_definition_key))[1] AS department_code
        INTO v_task
        FROM flowable.workflow_tasks t
        LEFT JOIN flowable.workflow_queues q ON q.queue_name = t.queue_name
        LEFT JOIN entitlements.departments d ON d.department_id = q.department_id
        WHERE t.process_instance_id = v_run::text AND t.status NOT IN ('COMPLETED', 'CANCELLED');
        INSERT INTO onecms.case_workflow_mapping (case_id, process_instance_id, workflow_type, initiated_by,
                                                  current_department, current_phase, expected_completion,
                                                  actual_completion, routing_history, metadata)
        VALUES (p_case_id, v_run::text, left(COALESCE(p_workflow_type, v_def.process_key), 100), v_user,
                v_task.department_code, left(COALESCE(v_task.phase, v_instance.current_activity), 100),
                v_instance.sla_due_date, v_instance.completed_at,
                jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
                    'at', now(), 'event', 'started', 'by', v_user, 'activity', v_task.phase,
                    'queue', v_task.queue_name, 'department', v_task.department_code))),
                jsonb_build_object('process_key', v_def.process_key, 'process_version', v_def.process_version,
                                   'business_key', p_business_key));
    END IF;
    PERFORM automation.idempotency_finish(p_idempotency_key, to_jsonb(v_run::text));
    RETURN v_run::text;
END;
$$;

COMMENT ON FUNCTION flowable.start_process(varchar, varchar, jsonb, bigint, varchar, integer, text[], varchar, integer, varchar) IS
    'Starts the active (or the given) version of a deployed process with variables (plus initiator), a business key and a case; returns the process instance id. Fills case_id, priority (0-100), tags and sla_due_date (sla_config.defaultSlaMinutes) and links the case in onecms.case_workflow_mapping. Sets initiator (and the start event''s initiator variable) to the starter. Acts as app.current_user_id: PW401 no identity, PW403 p_started_by is someone else or the process names its starters (candidateStarterGroups/Users) and the user is none of them, PW404 not deployed, PW409 no active version. With p_idempotency_key, a repeat by the same user returns the first start''s process instance id and starts nothing, the key with other arguments is PW422.';

REVOKE ALL ON FUNCTION flowable.start_process(varchar, varchar, jsonb, bigint, varchar, integer, text[], varchar, integer, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.start_process(varchar, varchar, jsonb, bigint, varchar, integer, text[], varchar, integer, varchar) TO pgwf_app;
