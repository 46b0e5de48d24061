-- Trigger function (AFTER DELETE ON automation.workflow_instances, per statement): the tokens of
-- deleted runs go with them. workflow_tokens has no foreign key to its run (migration 0017: the
-- engine writes tokens only for the run it holds locked, and the key was checked again on every
-- move of a token), so this trigger does what ON DELETE CASCADE did. Event subscriptions go by
-- their own foreign keys.
CREATE OR REPLACE FUNCTION automation.delete_run_tokens()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM automation.workflow_tokens t
    USING gone g
    WHERE t.instance_id = g.id;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.delete_run_tokens() IS
    'AFTER DELETE statement trigger on workflow_instances: deletes the tokens of the deleted runs (in place of a foreign key with ON DELETE CASCADE).';

REVOKE ALL ON FUNCTION automation.delete_run_tokens() FROM PUBLIC;
