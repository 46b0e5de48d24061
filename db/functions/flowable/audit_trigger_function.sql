-- Trigger function that keeps updated_at current on every UPDATE.
-- Attached BEFORE UPDATE to every pgwf table that has an updated_at column
-- (the triggers are in db/triggers/<schema>/audit_trigger_<table>.sql).
CREATE OR REPLACE FUNCTION flowable.audit_trigger_function()
RETURNS trigger
LANGUAGE plpgsql
-- no SET clause: one would be applied and undone on every row; every name is qualified
AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        NEW.updated_at := pg_catalog.clock_timestamp();
    END IF;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION flowable.audit_trigger_function() IS
    'BEFORE UPDATE trigger: sets updated_at to the time of the change (clock_timestamp, so several updates in one transaction are ordered). Attached to every table with updated_at.';
