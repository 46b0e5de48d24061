-- pgwf 0014: multi-instance activities and loops (docs/graph-model.md, "Multi-instance and loops").
-- depends: 0007_token-engine 0010_bpmn-intake
--
-- * workflow_tokens.locals: variables a token holds for itself and the tokens inside it. The
--   token of a multi-instance body keeps the body's counters (nrOfInstances,
--   nrOfActiveInstances, nrOfCompletedInstances) and its plan ($mi); each instance's token its
--   loopCounter and element variable. A node reads them over the run's variables, inner scope
--   first, so parallel instances of one activity each see their own.

SET LOCAL ROLE pgwf_owner;

ALTER TABLE automation.workflow_tokens ADD COLUMN locals JSONB;
ALTER TABLE automation.workflow_tokens ADD CONSTRAINT chk_workflow_tokens_locals
    CHECK (locals IS NULL OR jsonb_typeof(locals) = 'object');
COMMENT ON COLUMN automation.workflow_tokens.locals IS 'Variables of this token and the tokens inside it, read over the run''s variables: a multi-instance body''s counters and plan ($mi), an instance''s loopCounter and element variable. NULL for most tokens.';

RESET ROLE;
