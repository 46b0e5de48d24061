-- Trigger function: when a run finishes (or its SLA date changes), its case mappings record
-- actual_completion (and expected_completion). Attached by trg_process_instances_case_completion.
CREATE OR REPLACE FUNCTION onecms.track_case_completion()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE onecms.case_workflow_mapping m
    SET actual_completion = CASE WHEN NEW.status IN ('COMPLETED', 'TERMINATED')
                                 THEN COALESCE(NEW.completed_at, pg_catalog.now()) END,
        expected_completion = COALESCE(NEW.sla_due_date, m.expected_completion),
        current_phase = CASE WHEN NEW.status IN ('COMPLETED', 'TERMINATED') AND OLD.status IS DISTINCT FROM NEW.status
                             THEN left(NEW.status, 100) ELSE m.current_phase END,
        routing_history = CASE WHEN OLD.status IS DISTINCT FROM NEW.status
                               THEN COALESCE(m.routing_history, '[]'::jsonb) || pg_catalog.jsonb_build_array(
                                        pg_catalog.jsonb_build_object('at', pg_catalog.now(), 'event', 'process_' || lower(NEW.status)))
                               ELSE m.routing_history END
    WHERE m.process_instance_id = NEW.process_instance_id;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION onecms.track_case_completion() IS
    'AFTER UPDATE OF status, completed_at, sla_due_date trigger on flowable.process_instances: keeps the case mappings'' actual_completion (set when the run is COMPLETED or TERMINATED, cleared otherwise), expected_completion (the run''s sla_due_date) and records status changes in routing_history.';

REVOKE ALL ON FUNCTION onecms.track_case_completion() FROM PUBLIC;
