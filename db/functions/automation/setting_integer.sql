-- A whole-number setting of pgwf: the database or session setting p_name (e.g. ALTER DATABASE
-- pgwf SET pgwf.webhook_refusals_per_minute = '50'), else p_default; a value that is not a whole
-- number from p_min to p_max counts as unset. Read by receive_webhook and purge_trigger_deliveries;
-- docs/operations.md lists the settings.
CREATE OR REPLACE FUNCTION automation.setting_integer(p_name text, p_default integer, p_min integer, p_max integer)
RETURNS integer
LANGUAGE sql
STABLE
PARALLEL SAFE
-- no SET clause, so the planner inlines it (and folds it for a constant argument)
RETURN CASE
    WHEN btrim(coalesce(current_setting(p_name, true), '')) ~ '^[0-9]{1,9}$'
         AND btrim(current_setting(p_name, true))::integer BETWEEN p_min AND p_max
        THEN btrim(current_setting(p_name, true))::integer
    ELSE p_default
END;

COMMENT ON FUNCTION automation.setting_integer(text, integer, integer, integer) IS
    'The whole-number setting p_name (current_setting) when it lies in p_min..p_max, else p_default.';

REVOKE ALL ON FUNCTION automation.setting_integer(text, integer, integer, integer) FROM PUBLIC;
