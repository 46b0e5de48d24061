-- Fires the timers that are due (intermediate timer events, timer boundary events, event-based
-- gateways waiting on a timer), found through one index on due_at, oldest first. Each run is
-- taken with SKIP LOCKED and its subscription checked again under that lock, so a due time
-- fires exactly once even when several callers run at once, and a busy run's timer waits for
-- the next call. A paused run's timers wait for resume; a cancelled scope's timers are gone with
-- its tokens. Called by run_maintenance; returns how many fired.
CREATE OR REPLACE FUNCTION automation.fire_due_timers(p_limit integer DEFAULT 1000)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_due record;
    v_fired integer := 0;
BEGIN
    -- a loop: each timer moves its own run, taken in the engine's lock order (run first)
    FOR v_due IN
        SELECT s.id, s.instance_id
        FROM automation.workflow_event_subscriptions s
        WHERE s.event_type = 'timer' AND s.due_at <= clock_timestamp()
        ORDER BY s.due_at, s.id
        LIMIT GREATEST(COALESCE(p_limit, 1000), 1)
    LOOP
        PERFORM 1 FROM automation.workflow_instances wi
        WHERE wi.id = v_due.instance_id AND wi.status = 'running'
        FOR UPDATE SKIP LOCKED;
        CONTINUE WHEN NOT FOUND;
        -- under the run's lock: still there and still due (another caller may have fired it)
        PERFORM 1 FROM automation.workflow_event_subscriptions s
        WHERE s.id = v_due.id AND s.due_at <= clock_timestamp();
        CONTINUE WHEN NOT FOUND;
        IF automation.engine_fire_subscription(v_due.id, '{}'::jsonb) THEN
            v_fired := v_fired + 1;
        END IF;
    END LOOP;
    RETURN v_fired;
END;
$$;

COMMENT ON FUNCTION automation.fire_due_timers(integer) IS
    'Fires due timer subscriptions (oldest first, at most p_limit): each exactly once under its run''s lock (SKIP LOCKED: a busy run waits for the next call); paused runs wait. Returns how many fired.';

REVOKE ALL ON FUNCTION automation.fire_due_timers(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.fire_due_timers(integer) TO pgwf_worker;
