-- Checks what a drawn graph names outside itself, as BPMN deploy does (flowable.bpmn_check): an
-- approval's approverRole must be a workflow role, and its queue (queueName, else the role's
-- queue) an existing queue; a task's queueName must be an existing queue. A worker node's
-- connector is any topic (docs/graph-model.md): pgwf process deploy --check and the worker's
-- startup warn about topics no worker performs. Values that are {{templates}} are filled at
-- run time and not checked. Refuses with PW422 naming every node at fault. Called by
-- deploy_workflow and the API's validate endpoint.
CREATE OR REPLACE FUNCTION automation.validate_workflow_references(p_data jsonb)
RETURNS void
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_problems text[];
BEGIN
    WITH n AS (
        SELECT x.node ->> 'id' AS id, x.node ->> 'type' AS node_type, COALESCE(x.node -> 'data', '{}'::jsonb) AS d, x.ord
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p_data -> 'nodes') = 'array' THEN p_data -> 'nodes' ELSE '[]' END)
             WITH ORDINALITY AS x(node, ord)
        WHERE x.node ->> 'type' IN ('approval', 'task')
    ), checked AS (
        SELECT n.id, n.ord, CASE
            WHEN n.node_type = 'approval' AND COALESCE(n.d ->> 'approverRole', '') !~ '\{\{'
                 AND NOT EXISTS (SELECT 1 FROM entitlements.workflow_roles r WHERE r.role_code = n.d ->> 'approverRole')
                THEN format('approval node %s: approverRole %s is not a workflow role', n.id, COALESCE(n.d ->> 'approverRole', 'none'))
            WHEN n.node_type = 'approval' AND n.d ->> 'queueName' IS NULL AND COALESCE(n.d ->> 'approverRole', '') !~ '\{\{'
                 AND (SELECT r.queue_name FROM entitlements.workflow_roles r WHERE r.role_code = n.d ->> 'approverRole') IS NULL
                THEN format('approval node %s: role %s has no queue and the node names no queueName', n.id, n.d ->> 'approverRole')
            WHEN n.node_type = 'approval' AND COALESCE(n.d ->> 'queueName', '') !~ '\{\{'
                 AND NOT EXISTS (SELECT 1 FROM flowable.workflow_queues q
                                 WHERE q.queue_name = COALESCE(n.d ->> 'queueName',
                                       (SELECT r.queue_name FROM entitlements.workflow_roles r WHERE r.role_code = n.d ->> 'approverRole')))
                THEN format('approval node %s: queue %s does not exist', n.id,
                            COALESCE(n.d ->> 'queueName', (SELECT r.queue_name FROM entitlements.workflow_roles r WHERE r.role_code = n.d ->> 'approverRole')))
            WHEN n.node_type = 'task' AND COALESCE(n.d ->> 'queueName', '') = ''
                THEN format('task node %s names no queueName', n.id)
            WHEN n.node_type = 'task' AND n.d ->> 'queueName' !~ '\{\{'
                 AND NOT EXISTS (SELECT 1 FROM flowable.workflow_queues q WHERE q.queue_name = n.d ->> 'queueName')
                THEN format('task node %s: queue %s does not exist', n.id, n.d ->> 'queueName')
        END AS problem
        FROM n
    )
    SELECT array_agg(c.problem ORDER BY c.ord) INTO v_problems FROM checked c WHERE c.problem IS NOT NULL;
    IF cardinality(v_problems) > 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = 'workflow refused: ' || array_to_string(v_problems, '; '),
            DETAIL = array_to_string(v_problems, E'\n'),
            HINT = 'Create the role or queue first (pgwf role create, pgwf queue create), or name one that exists.';
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.validate_workflow_references(jsonb) IS
    'PW422 naming every node whose references do not exist: an approval''s approverRole (a workflow role) and its queue (queueName or the role''s queue), a task''s queueName. {{template}} values are checked when the run fills them. Called by deploy_workflow and the validate endpoint.';

REVOKE ALL ON FUNCTION automation.validate_workflow_references(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.validate_workflow_references(jsonb) TO pgwf_app;
