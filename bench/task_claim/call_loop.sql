-- Server time of claim_next_task and complete_task, one session, no client round trips: n
-- claim-then-complete pairs by the 8 agents in turn, each call its own transaction (COMMIT in
-- between), timed with clock_timestamp() around the call only. For bench/task_bench.py calls.
CREATE SCHEMA IF NOT EXISTS bench_spec;

CREATE OR REPLACE PROCEDURE bench_spec.call_loop(
    n integer, INOUT claim_us numeric DEFAULT 0, INOUT complete_us numeric DEFAULT 0)
LANGUAGE plpgsql AS $$
DECLARE
    v_task varchar;
    v_user text;
    v_t0 timestamptz;
    v_claim interval := interval '0';
    v_complete interval := interval '0';
BEGIN
    FOR i IN 1..n LOOP
        v_user := 'agent' || (i % 8 + 1);
        v_t0 := clock_timestamp();
        PERFORM set_config('app.current_user_id', v_user, true);
        SELECT c.task_id INTO v_task FROM flowable.claim_next_task(v_user, '{Q1,Q2,Q3,Q4,Q5}') AS c;
        v_claim := v_claim + (clock_timestamp() - v_t0);
        COMMIT;
        v_t0 := clock_timestamp();
        PERFORM set_config('app.current_user_id', v_user, true);
        PERFORM flowable.complete_task(v_task, 'DONE');
        v_complete := v_complete + (clock_timestamp() - v_t0);
        COMMIT;
    END LOOP;
    claim_us := round(extract(epoch FROM v_claim) * 1e6 / n, 1);
    complete_us := round(extract(epoch FROM v_complete) * 1e6 / n, 1);
END;
$$;
