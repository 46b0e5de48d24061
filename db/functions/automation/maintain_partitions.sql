-- The monthly partitions of flowable.task_history: makes the current month and
-- pgwf.partitions_ahead_months (default 1) ahead, and drops a month wholly older than the
-- history time-to-live pgwf.history_ttl_days once no row in it belongs to a process instance
-- that still exists (purge_history removed them, or they were removed otherwise). A duty of
-- run_maintenance; pgwf db upgrade calls it too, so a new database has its months at once.
CREATE OR REPLACE FUNCTION automation.maintain_partitions()
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_this_month timestamptz := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    v_ahead integer := automation.setting_integer('pgwf.partitions_ahead_months', 1, 1, 24);
    v_ttl integer := automation.setting_integer('pgwf.history_ttl_days', NULL, 0, 36500);
    v_lock_timeout text := current_setting('lock_timeout');
    v_month timestamptz;
    v_name text;
    v_created jsonb := '[]'::jsonb;
    v_dropped jsonb := '[]'::jsonb;
    v_live boolean;
    r record;
BEGIN
    -- DDL on a partition locks the parent: wait at most a moment for it, never queue live work
    -- behind a long wait (the next call tries again)
    PERFORM set_config('lock_timeout', '200ms', true);
    -- a loop: one DDL statement a month
    FOR i IN 0 .. v_ahead LOOP
        v_month := v_this_month + make_interval(months => i);
        v_name := 'task_history_' || to_char(v_month AT TIME ZONE 'UTC', 'YYYY_MM');
        CONTINUE WHEN to_regclass('pgwf_partitions.' || v_name) IS NOT NULL;
        -- made apart and attached: ATTACH PARTITION takes only SHARE UPDATE EXCLUSIVE on the
        -- parent; rows of the month the default partition caught move in first
        EXECUTE format('CREATE TABLE pgwf_partitions.%I (LIKE flowable.task_history INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', v_name);
        EXECUTE format('ALTER TABLE pgwf_partitions.%I ADD CONSTRAINT %I CHECK (action_at >= %L AND action_at < %L)',
                       v_name, v_name || '_range', v_month, v_month + interval '1 month');
        EXECUTE format('WITH moved AS (DELETE FROM pgwf_partitions.task_history_default d
                                          WHERE d.action_at >= $1 AND d.action_at < $2 RETURNING d.*)
                        INSERT INTO pgwf_partitions.%I SELECT * FROM moved', v_name)
            USING v_month, v_month + interval '1 month';
        EXECUTE format('ALTER TABLE flowable.task_history ATTACH PARTITION pgwf_partitions.%I FOR VALUES FROM (%L) TO (%L)',
                       v_name, v_month, v_month + interval '1 month');
        EXECUTE format('ALTER TABLE pgwf_partitions.%I DROP CONSTRAINT %I', v_name, v_name || '_range');
        v_created := v_created || to_jsonb(v_name);
    END LOOP;

    -- drop months wholly older than the default time-to-live (none while it is unset) whose
    -- rows belong to no process instance any more
    IF v_ttl IS NOT NULL THEN
        FOR r IN
            SELECT c.relname, (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''([^'']+)''\)'))[1]::timestamptz AS upper_bound
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'flowable.task_history'::regclass AND c.relname <> 'task_history_default'
            ORDER BY 2
        LOOP
            EXIT WHEN r.upper_bound > now() - make_interval(days => v_ttl);
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM pgwf_partitions.%I h WHERE EXISTS
                               (SELECT 1 FROM flowable.process_instances p WHERE p.process_instance_id = h.process_instance_id))',
                           r.relname) INTO v_live;
            CONTINUE WHEN v_live;
            EXECUTE format('ALTER TABLE flowable.task_history DETACH PARTITION pgwf_partitions.%I', r.relname);
            EXECUTE format('DROP TABLE pgwf_partitions.%I', r.relname);
            v_dropped := v_dropped || to_jsonb(r.relname);
        END LOOP;
    END IF;
    PERFORM set_config('lock_timeout', v_lock_timeout, true);
    RETURN jsonb_build_object('created', v_created, 'dropped', v_dropped);
END;
$$;

COMMENT ON FUNCTION automation.maintain_partitions() IS
    'Keeps the monthly partitions of flowable.task_history (schema pgwf_partitions): makes the current month and pgwf.partitions_ahead_months (default 1, 1..24) ahead, moving in rows of the month the default partition caught, and detaches and drops each month wholly older than pgwf.history_ttl_days (never while unset) that holds no row of an existing process instance; waits at most 200 ms for a lock (DETACH takes ACCESS EXCLUSIVE on the parent; ATTACH only SHARE UPDATE EXCLUSIVE). Returns {"created": [names], "dropped": [names]}. A duty of run_maintenance, also called by pgwf db upgrade.';

REVOKE ALL ON FUNCTION automation.maintain_partitions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.maintain_partitions() TO pgwf_worker;
