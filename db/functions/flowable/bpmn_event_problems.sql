-- What keeps a BPMN event (or receive task) from running: an event definition its place
-- cannot hold (a timer start, a catching error, a none boundary), several definitions at once,
-- a reference that names nothing, a timer without or with a malformed expression, a boundary
-- event attached to nothing it can watch. p_el is the element as flowable.bpmn_compile reads
-- it, p_host the activity a boundary event names (NULL when there is none), p_data its graph
-- data (flowable.bpmn_event_node). Each problem starts with the element id. Called by
-- flowable.bpmn_compile.
CREATE OR REPLACE FUNCTION flowable.bpmn_event_problems(p_el jsonb, p_host jsonb, p_data jsonb)
RETURNS text[]
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_id text := coalesce(p_el ->> 'id', '?');
    v_kind text := p_el ->> 'kind';
    v_event text := coalesce(p_data ->> 'event', 'none');
    v_timer jsonb := p_data -> 'timer';
    v_problems text[] := ARRAY[]::text[];
    v_timer_problem text;
BEGIN
    IF p_el ->> 'event_def' NOT IN ('timerEventDefinition', 'messageEventDefinition', 'signalEventDefinition',
                                    'errorEventDefinition', 'escalationEventDefinition', 'linkEventDefinition',
                                    'terminateEventDefinition', 'cancelEventDefinition') THEN
        RETURN ARRAY[]::text[];  -- refused as an unsupported child already (compensation, cancel, conditional)
    END IF;
    IF coalesce((p_el ->> 'event_defs')::integer, 0) > 1 THEN
        RETURN ARRAY[format('%s: a %s with several event definitions (a multiple event) is not supported', v_id, v_kind)];
    END IF;
    IF v_kind = 'startEvent' AND p_el ->> 'scope_id' IS NULL AND v_event NOT IN ('none', 'message', 'signal', 'timer') THEN
        v_problems := v_problems || format('%s: a process does not start on an %s; error and escalation start events belong to event sub-processes', v_id, v_event);
    ELSIF v_kind = 'startEvent' AND btrim(coalesce(p_el ->> 'scope_triggered', 'false')) = 'true' THEN
        IF v_event NOT IN ('timer', 'message', 'signal', 'error', 'escalation') THEN
            v_problems := v_problems || format('%s: the start event of an event sub-process is a timer, message, signal, error or escalation event', v_id);
        ELSIF v_event = 'error' AND btrim(coalesce(p_el ->> 'is_interrupting', 'true')) = 'false' THEN
            v_problems := v_problems || format('%s: an error start event always interrupts (isInterrupting="false" is not allowed)', v_id);
        END IF;
    ELSIF v_kind = 'startEvent' AND p_el ->> 'scope_id' IS NOT NULL AND p_el ->> 'event_def' IS NOT NULL THEN
        v_problems := v_problems || format('%s: a start event inside a sub-process is a none start event', v_id);
    ELSIF v_kind = 'intermediateCatchEvent' AND v_event NOT IN ('timer', 'message', 'signal', 'link') THEN
        v_problems := v_problems || format('%s: an intermediate catch event waits for a timer, a message, a signal or a link (found %s)',
                                           v_id, coalesce(p_el ->> 'event_def', 'no event definition'));
    ELSIF v_kind = 'intermediateThrowEvent' AND v_event NOT IN ('none', 'message', 'signal', 'escalation', 'link') THEN
        v_problems := v_problems || format('%s: an intermediate throw event cannot throw a %s', v_id, p_el ->> 'event_def');
    ELSIF v_kind = 'endEvent' AND v_event = 'cancel' AND coalesce(p_el ->> 'scope_kind', '') <> 'transaction' THEN
        v_problems := v_problems || format('%s: a cancel end event lies directly inside a transaction', v_id);
    ELSIF v_kind = 'boundaryEvent' AND v_event = 'cancel' AND coalesce(p_host ->> 'kind', '') <> 'transaction' THEN
        v_problems := v_problems || format('%s: a cancel boundary event is attached to a transaction', v_id);
    ELSIF v_kind = 'endEvent' AND v_event NOT IN ('none', 'message', 'signal', 'error', 'escalation', 'cancel') THEN
        v_problems := v_problems || format('%s: an end event cannot end with a %s', v_id, p_el ->> 'event_def');
    ELSIF v_kind = 'boundaryEvent' AND v_event NOT IN ('timer', 'message', 'signal', 'error', 'escalation', 'cancel') THEN
        v_problems := v_problems || format('%s: a boundary event catches a timer, a message, a signal, an error or an escalation (found %s)',
                                           v_id, coalesce(p_el ->> 'event_def', 'no event definition'));
    END IF;

    IF v_kind = 'boundaryEvent' THEN
        IF p_el ->> 'attached_to' IS NULL THEN
            v_problems := v_problems || format('%s: boundaryEvent has no attachedToRef', v_id);
        ELSIF p_host IS NULL OR p_host ->> 'kind' NOT IN ('userTask', 'serviceTask', 'subProcess', 'transaction', 'receiveTask', 'manualTask', 'task', 'callActivity')
              OR (p_host ->> 'scope_id') IS DISTINCT FROM (p_el ->> 'scope_id') THEN
            v_problems := v_problems || format('%s: boundaryEvent is attached to %s, which is no user, service, manual or receive task, call activity or sub-process of its own scope',
                                               v_id, p_el ->> 'attached_to');
        END IF;
        IF v_event = 'error' AND btrim(coalesce(p_el ->> 'cancel_activity', 'true')) = 'false' THEN
            v_problems := v_problems || format('%s: an error boundary event always interrupts its activity (cancelActivity="false" is not allowed)', v_id);
        END IF;
    END IF;

    IF v_event IN ('message', 'signal') AND p_data ->> 'name' IS NULL AND v_kind <> 'receiveTask' THEN
        v_problems := v_problems || format('%s: the %s event names no %s (%sRef)', v_id, v_event, v_event, v_event);
    END IF;
    IF v_event = 'link' AND p_data ->> 'name' IS NULL THEN
        v_problems := v_problems || format('%s: the link event has no name', v_id);
    END IF;
    IF v_event = 'timer' AND flowable.bpmn_date_offset(coalesce(p_el ->> 'time_date', p_el ->> 'time_duration')) ? 'problem' THEN
        v_problems := v_problems || format('%s: the timer "%s" is outside the date helpers %s', v_id,
            btrim(coalesce(p_el ->> 'time_date', p_el ->> 'time_duration')),
            flowable.bpmn_date_offset(coalesce(p_el ->> 'time_date', p_el ->> 'time_duration')) ->> 'problem');
    ELSIF v_event = 'timer' THEN
        IF (SELECT count(*) FROM jsonb_object_keys(coalesce(v_timer, '{}'::jsonb))) <> 1 THEN
            v_problems := v_problems || format('%s: timerEventDefinition needs exactly one of timeDate, timeDuration, timeCycle', v_id);
        ELSIF NOT EXISTS (SELECT 1 FROM jsonb_each_text(v_timer) t WHERE t.value LIKE '{{%') THEN
            v_timer_problem := automation.timer_problem(v_timer);
            IF v_timer_problem IS NOT NULL THEN
                v_problems := v_problems || format('%s: %s', v_id, v_timer_problem);
            END IF;
        END IF;
    END IF;
    RETURN v_problems;
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_event_problems(jsonb, jsonb, jsonb) IS
    'Why a BPMN event cannot run, each message starting with its element id: a definition its place cannot hold, several definitions, a missing reference or name, a missing or malformed timer, a boundary event on nothing it can watch; empty when it runs.';

REVOKE ALL ON FUNCTION flowable.bpmn_event_problems(jsonb, jsonb, jsonb) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_event_problems(jsonb, jsonb, jsonb) TO pgwf_app;
