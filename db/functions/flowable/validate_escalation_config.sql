-- Trigger function of trg_workflow_queues_escalation_config: refuses (PW422) an escalation_config
-- that flowable.escalate_overdue_tasks could not apply, naming the queue and the key, so one
-- malformed queue can never make the every-minute escalation (and run_maintenance) fail.
-- The format is documented in docs/task-service.md ("Escalation and escalation_config").
CREATE OR REPLACE FUNCTION flowable.validate_escalation_config()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_cfg jsonb := NEW.escalation_config;
    v_key text;
    v_val jsonb;
    v_level text;
    v_lvl jsonb;
    v_bad text;
    v_why text;
BEGIN
    IF v_cfg IS NULL OR jsonb_typeof(v_cfg) <> 'object' THEN
        RETURN NEW;  -- NULL means defaults; a non-object is refused by chk_workflow_queues_escalation_config
    END IF;
    FOR v_key, v_val IN SELECT e.key, e.value FROM jsonb_each(v_cfg) e ORDER BY e.key LOOP
        v_why := CASE v_key
            WHEN 'enabled' THEN
                CASE WHEN jsonb_typeof(v_val) <> 'boolean' THEN 'must be true or false' END
            WHEN 'max_level' THEN
                CASE WHEN jsonb_typeof(v_val) <> 'number' OR v_val::numeric NOT IN (0, 1, 2, 3)
                     THEN 'must be a whole number from 0 to 3' END
            WHEN 'repeat_after_minutes' THEN
                CASE WHEN jsonb_typeof(v_val) <> 'number' OR v_val::numeric <> trunc(v_val::numeric)
                          OR v_val::numeric < 0 OR v_val::numeric > 5256000
                     THEN 'must be a whole number of minutes from 0 to 5256000 (10 years)' END
            WHEN 'levels' THEN
                CASE WHEN jsonb_typeof(v_val) <> 'object' THEN 'must be an object keyed "1", "2", "3"' END
            ELSE 'is not a known key (enabled, max_level, repeat_after_minutes, levels)'
        END;
        IF v_why IS NOT NULL THEN
            v_bad := v_key;
            EXIT;
        END IF;
    END LOOP;
    IF v_bad IS NULL AND jsonb_typeof(v_cfg -> 'levels') = 'object' THEN
        <<levels>>
        FOR v_level, v_lvl IN SELECT e.key, e.value FROM jsonb_each(v_cfg -> 'levels') e ORDER BY e.key LOOP
            IF v_level NOT IN ('1', '2', '3') THEN
                v_bad := 'levels.' || v_level;
                v_why := 'is not a level (levels are "1", "2" and "3")';
                EXIT levels;
            END IF;
            IF jsonb_typeof(v_lvl) <> 'object' THEN
                v_bad := 'levels.' || v_level;
                v_why := 'must be an object';
                EXIT levels;
            END IF;
            FOR v_key, v_val IN SELECT e.key, e.value FROM jsonb_each(v_lvl) e ORDER BY e.key LOOP
                v_why := CASE v_key
                    WHEN 'priority_boost' THEN
                        CASE WHEN jsonb_typeof(v_val) <> 'number' OR v_val::numeric <> trunc(v_val::numeric)
                                  OR abs(v_val::numeric) > 1000000
                             THEN 'must be a whole number from -1000000 to 1000000' END
                    WHEN 'set_priority' THEN
                        CASE WHEN jsonb_typeof(v_val) <> 'number' OR v_val::numeric <> trunc(v_val::numeric)
                                  OR abs(v_val::numeric) > 1000000
                             THEN 'must be a whole number from -1000000 to 1000000' END
                    WHEN 'extend_due_minutes' THEN
                        CASE WHEN jsonb_typeof(v_val) <> 'number' OR v_val::numeric <> trunc(v_val::numeric)
                                  OR v_val::numeric < 0 OR v_val::numeric > 5256000
                             THEN 'must be a whole number of minutes from 0 to 5256000 (10 years)' END
                    WHEN 'release' THEN
                        CASE WHEN jsonb_typeof(v_val) <> 'boolean' THEN 'must be true or false' END
                    WHEN 'move_to_queue' THEN
                        CASE WHEN jsonb_typeof(v_val) <> 'string' OR v_val #>> '{}' = '' OR length(v_val #>> '{}') > 100
                             THEN 'must be a queue name (1 to 100 characters)' END
                    WHEN 'notify_role' THEN
                        CASE WHEN jsonb_typeof(v_val) <> 'string' OR v_val #>> '{}' = '' OR length(v_val #>> '{}') > 100
                             THEN 'must be a role code (1 to 100 characters)' END
                    WHEN 'notify_channel' THEN
                        CASE WHEN jsonb_typeof(v_val) <> 'string' OR v_val #>> '{}' NOT IN ('email', 'slack', 'webhook', 'sms')
                             THEN 'must be email, slack, webhook or sms' END
                    ELSE 'is not a known key (priority_boost, set_priority, move_to_queue, release, extend_due_minutes, notify_role, notify_channel)'
                END;
                IF v_why IS NOT NULL THEN
                    v_bad := 'levels.' || v_level || '.' || v_key;
                    EXIT levels;
                END IF;
            END LOOP;
        END LOOP;
    END IF;
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('escalation_config of queue %s: %s %s', NEW.queue_name, v_bad, v_why),
            DETAIL = format('%s is %s', v_bad, COALESCE((v_cfg #> string_to_array(v_bad, '.'))::text, 'null')),
            HINT = 'See docs/task-service.md, "Escalation and escalation_config", for the keys and their types.';
    END IF;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION flowable.validate_escalation_config() IS
    'BEFORE INSERT/UPDATE trigger function on flowable.workflow_queues: refuses with PW422, naming the queue and the key, an escalation_config with an unknown key or a value of the wrong type or range (docs/task-service.md), so escalate_overdue_tasks never meets a value it cannot apply.';

REVOKE ALL ON FUNCTION flowable.validate_escalation_config() FROM PUBLIC;
