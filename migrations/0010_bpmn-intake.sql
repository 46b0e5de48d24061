-- pgwf 0010: what a BPMN deployment kept without running, and who may start a process.
-- depends: 0006_task-service-fixes
--
-- * workflow_definitions.ignored_elements: the descriptive elements (lanes, annotations,
--   data objects, properties, modeler metadata, declarations beside the process) the
--   compiler kept and never runs, element by element, as flowable.deploy_process found
--   them; shown by GET /processes/{key} and `pgwf process show`.
-- * workflow_definitions.start_rules: candidateStarterGroups / candidateStarterUsers of the
--   process (enforced by flowable.start_process) and the variable the start event's
--   initiator attribute names for the starter.
-- Existing versions get an empty list and no rules (anyone may start them, as before).

SET LOCAL ROLE pgwf_owner;

ALTER TABLE flowable.workflow_definitions
    ADD COLUMN ignored_elements jsonb NOT NULL DEFAULT '[]'::jsonb,
    ADD COLUMN start_rules jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD CONSTRAINT chk_workflow_definitions_ignored_elements CHECK (jsonb_typeof(ignored_elements) = 'array'),
    ADD CONSTRAINT chk_workflow_definitions_start_rules CHECK (jsonb_typeof(start_rules) = 'object');

COMMENT ON COLUMN flowable.workflow_definitions.ignored_elements IS 'pgwf addition: the descriptive BPMN elements this version keeps and never runs, one {kind, id, in, reason} object each in document order (flowable.bpmn_compile).';
COMMENT ON COLUMN flowable.workflow_definitions.start_rules IS 'pgwf addition: who may start this version ({"candidateStarterGroups": [role codes], "candidateStarterUsers": [user ids]}; none: anyone) and "initiatorVariable", the variable set to the starter; enforced by flowable.start_process.';

RESET ROLE;
