-- The size limits pgwf's database enforces (docs/api.md, "Limits the database enforces"), in one
-- place: each is checked before the work it bounds starts, and refused with a PW error naming
-- the limit and the actual size. Read by the validation, deploy and write paths.
CREATE OR REPLACE FUNCTION automation.model_limit(p_name text)
RETURNS integer
LANGUAGE sql
IMMUTABLE
STRICT
PARALLEL SAFE
-- no SET clause, so the planner inlines it (and folds it for a constant argument)
RETURN CASE p_name
    WHEN 'graph_nodes' THEN 2000           -- nodes of a drawn graph (workflow_data.nodes)
    WHEN 'graph_edges' THEN 4000           -- edges of a drawn graph (workflow_data.edges)
    WHEN 'bpmn_elements' THEN 50000        -- XML elements of a BPMN document, counted before compiling
    WHEN 'condition_chars' THEN 4000       -- a condition: BPMN expression text, or a drawn condition's JSON text
    WHEN 'comment_chars' THEN 10000        -- a task comment
    WHEN 'variable_bytes' THEN 1048576     -- a process variable's value, a run's input or a step's output variables (jsonb bytes)
    WHEN 'variable_depth' THEN 32          -- nesting of objects and arrays in such a value
    WHEN 'task_priority_max' THEN 100      -- priority of a task a step creates (0..100)
    WHEN 'task_due_days' THEN 36500        -- due date of a task a step creates, at most this many days from now (either way)
    WHEN 'form_fields' THEN 200            -- fields of a task form (a task node's data.form)
END;

COMMENT ON FUNCTION automation.model_limit(text) IS
    'The database''s size limits by name: graph_nodes 2000, graph_edges 4000, bpmn_elements 50000, condition_chars 4000, comment_chars 10000, variable_bytes 1048576, variable_depth 32, task_priority_max 100, task_due_days 36500 (100 years either way: an overdue date from old data is real, year 20000 is not), form_fields 200; NULL for an unknown name.';

REVOKE ALL ON FUNCTION automation.model_limit(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.model_limit(text) TO pgwf_app, pgwf_worker;
