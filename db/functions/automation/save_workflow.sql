-- Saves a workflow model from React Flow JSON: validates it, writes the workflows row and
-- keeps workflow_nodes/workflow_edges exactly in step. A new model gets version 1.0.0; saving a
-- version that is deployed or has runs makes a new version (same workflow_key, next minor).
-- Called by the API/editor as a person (app.current_user_id) and by the BPMN deployment.
CREATE OR REPLACE FUNCTION automation.save_workflow(
    p_workflow_data jsonb,
    p_name varchar,
    p_workflow_id uuid DEFAULT NULL,
    p_description text DEFAULT NULL,
    p_category varchar DEFAULT NULL,
    p_configuration jsonb DEFAULT NULL,
    p_tags jsonb DEFAULT NULL,
    p_is_template boolean DEFAULT NULL
)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_user varchar;
    v_old automation.workflows;
    v_id uuid;
    v_version varchar;
BEGIN
    v_user := entitlements.require_active_user('save_workflow');
    PERFORM automation.require_workflow_admin('save_workflow');
    IF p_name IS NULL OR btrim(p_name) = '' OR length(p_name) > 255 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_name must be a non-empty name of at most 255 characters';
    END IF;
    IF p_configuration IS NOT NULL AND (jsonb_typeof(p_configuration) <> 'object'
        OR (p_configuration ? 'maxSteps' AND (jsonb_typeof(p_configuration -> 'maxSteps') <> 'number'
                                              OR (p_configuration ->> 'maxSteps')::numeric < 1))) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = 'configuration must be an object; its maxSteps a positive number';
    END IF;
    IF p_tags IS NOT NULL AND jsonb_typeof(p_tags) <> 'array' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = 'tags must be a JSON array of strings';
    END IF;
    PERFORM automation.validate_workflow_graph(p_workflow_data);

    IF p_workflow_id IS NULL THEN
        INSERT INTO automation.workflows (name, description, category, workflow_data, is_template, tags,
                                          configuration, created_by, updated_by)
        VALUES (p_name, p_description, COALESCE(p_category, 'custom'), p_workflow_data, COALESCE(p_is_template, false),
                p_tags, p_configuration, v_user, v_user)
        RETURNING id INTO v_id;
    ELSE
        SELECT * INTO v_old FROM automation.workflows WHERE id = p_workflow_id FOR UPDATE;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING ERRCODE = 'PW404', MESSAGE = format('workflow %s does not exist', p_workflow_id);
        END IF;
        IF automation.is_workflow_locked(p_workflow_id) THEN
            -- immutable: a new version after the newest one of this model
            SELECT (split_part(max_v, '.', 1)) || '.' || (split_part(max_v, '.', 2)::integer + 1) || '.0'
            INTO v_version
            FROM (SELECT w.version AS max_v FROM automation.workflows w
                  WHERE w.workflow_key = v_old.workflow_key
                  ORDER BY string_to_array(regexp_replace(w.version, '[^0-9.]', '', 'g'), '.')::integer[] DESC
                  LIMIT 1) v;
            INSERT INTO automation.workflows (name, description, category, version, workflow_data, is_active,
                                              is_template, tags, configuration, created_by, updated_by, workflow_key)
            VALUES (p_name, COALESCE(p_description, v_old.description), COALESCE(p_category, v_old.category),
                    v_version, p_workflow_data, v_old.is_active, COALESCE(p_is_template, v_old.is_template),
                    COALESCE(p_tags, v_old.tags), COALESCE(p_configuration, v_old.configuration), v_user, v_user,
                    v_old.workflow_key)
            RETURNING id INTO v_id;
        ELSE
            UPDATE automation.workflows
            SET name = p_name,
                description = COALESCE(p_description, description),
                category = COALESCE(p_category, category),
                workflow_data = p_workflow_data,
                is_template = COALESCE(p_is_template, is_template),
                tags = COALESCE(p_tags, tags),
                configuration = COALESCE(p_configuration, configuration),
                updated_by = v_user
            WHERE id = p_workflow_id
            RETURNING id INTO v_id;
        END IF;
    END IF;

    PERFORM automation.sync_workflow_graph(v_id);
    RETURN v_id;
END;
$$;

COMMENT ON FUNCTION automation.save_workflow(jsonb, varchar, uuid, text, varchar, jsonb, jsonb, boolean) IS
    'Validates and saves a React Flow workflow model, keeping workflow_nodes/workflow_edges in step; returns the id of the version written (a new version when p_workflow_id is deployed or has runs). PW401 without identity, PW403 unless the user holds workflow_admin, PW404 unknown id, PW422 invalid graph.';

REVOKE ALL ON FUNCTION automation.save_workflow(jsonb, varchar, uuid, text, varchar, jsonb, jsonb, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.save_workflow(jsonb, varchar, uuid, text, varchar, jsonb, jsonb, boolean) TO pgwf_app;
