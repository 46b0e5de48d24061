-- Fires every active schedule trigger whose cron expression has come due since it last fired:
-- one run per trigger per call, for the latest due minute, so downtime never causes a burst.
-- A trigger that cannot start is logged (workflow_trigger_deliveries) and skipped; the others
-- still fire. A timer start event's trigger (trigger_source timer-start) fires at its dueAt and
-- then at its cycle's next repetition (engine_schedule_timer_starts). Called by run_maintenance
-- every minute.
CREATE OR REPLACE FUNCTION automation.fire_due_schedules()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_trigger automation.workflow_triggers;
    v_due timestamptz;
    v_fired integer := 0;
    v_result record;
BEGIN
    -- a loop: each due trigger starts its own run, in its own savepoint
    FOR v_trigger IN
        SELECT * FROM automation.workflow_triggers
        WHERE trigger_type = 'schedule' AND is_active
        ORDER BY id
        FOR UPDATE SKIP LOCKED
    LOOP
        BEGIN
            IF v_trigger.trigger_source = 'timer-start' THEN
                -- a timer start event: due at dueAt, then at its cycle's next repetition, if any
                v_due := (v_trigger.configuration ->> 'dueAt')::timestamptz;
                CONTINUE WHEN v_due IS NULL OR v_due > clock_timestamp();
                SELECT * INTO v_result FROM automation.engine_trigger_start(
                    v_trigger, COALESCE(v_trigger.configuration -> 'input', '{}'::jsonb) || jsonb_build_object('scheduled_for', v_due),
                    'timer:' || v_due::text, NULL, v_due);
                IF v_result.status = 'started' THEN
                    v_fired := v_fired + 1;
                END IF;
                v_due := CASE WHEN v_trigger.configuration #> '{timer,cycle}' IS NOT NULL
                                   AND COALESCE((v_trigger.configuration ->> 'remaining')::integer, 2) > 1
                              THEN automation.timer_next_due(v_trigger.configuration -> 'timer', v_due, false) END;
                UPDATE automation.workflow_triggers
                SET configuration = jsonb_strip_nulls(configuration || jsonb_build_object(
                        'dueAt', v_due,
                        'remaining', (configuration ->> 'remaining')::integer - 1)),
                    is_active = v_due IS NOT NULL
                WHERE id = v_trigger.id;
                CONTINUE;
            END IF;
            v_due := automation.cron_latest_due(v_trigger.configuration ->> 'cronExpression',
                                                COALESCE(v_trigger.configuration ->> 'timezone', 'UTC'),
                                                COALESCE(v_trigger.last_triggered, v_trigger.created_at), now());
            CONTINUE WHEN v_due IS NULL;
            SELECT * INTO v_result FROM automation.engine_trigger_start(
                v_trigger,
                COALESCE(v_trigger.configuration -> 'input', '{}'::jsonb) || jsonb_build_object('scheduled_for', v_due),
                'schedule:' || v_due::text, NULL, v_due);
            IF v_result.status = 'started' THEN
                v_fired := v_fired + 1;
            ELSE
                -- not deployed: remember the minute so it is not retried every minute
                UPDATE automation.workflow_triggers SET last_triggered = v_due WHERE id = v_trigger.id;
            END IF;
        EXCEPTION WHEN OTHERS THEN
            INSERT INTO automation.workflow_trigger_deliveries (trigger_id, trigger_type, accepted, reason)
            VALUES (v_trigger.id, 'schedule', false, left(format('could not start: %s (%s)', SQLERRM, SQLSTATE), 500));
            UPDATE automation.workflow_triggers SET last_triggered = now() WHERE id = v_trigger.id;
        END;
    END LOOP;
    RETURN v_fired;
END;
$$;

COMMENT ON FUNCTION automation.fire_due_schedules() IS
    'Starts one run for each active schedule trigger whose cron expression (in its timezone) matched a minute since last_triggered (the latest such minute only); returns how many started.';

REVOKE ALL ON FUNCTION automation.fire_due_schedules() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.fire_due_schedules() TO pgwf_worker;
