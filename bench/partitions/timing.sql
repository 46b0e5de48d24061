-- Mean time of the hot statements, 5,000 times each in one backend (inserts rolled back).
\pset pager off
BEGIN;
SET LOCAL ROLE pgwf_owner;
DO $t$
DECLARE
    v_start timestamptz;
    v_n integer;
BEGIN
    v_start := clock_timestamp();
    FOR i IN 1..5000 LOOP
        PERFORM h.history_id FROM flowable.task_history h WHERE h.task_id = 'task-' || (1 + (i * 7919) % 36000) ORDER BY h.history_id;
    END LOOP;
    RAISE NOTICE 'task history lookup: % us', round(extract(epoch FROM clock_timestamp() - v_start) * 1e6 / 5000, 1);
    v_start := clock_timestamp();
    FOR i IN 1..5000 LOOP
        SELECT count(*) INTO v_n FROM flowable.task_history h WHERE h.process_instance_id = 'run-' || (1 + (i * 7919) % 12000);
    END LOOP;
    RAISE NOTICE 'run history count: % us', round(extract(epoch FROM clock_timestamp() - v_start) * 1e6 / 5000, 1);
    v_start := clock_timestamp();
    FOR i IN 1..5000 LOOP
        INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, new_status)
        VALUES ('task-x', 'run-x', 'CREATE', 'SYSTEM', 'OPEN');
    END LOOP;
    RAISE NOTICE 'insert: % us', round(extract(epoch FROM clock_timestamp() - v_start) * 1e6 / 5000, 1);
END
$t$;
ROLLBACK;
