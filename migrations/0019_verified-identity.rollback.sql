-- Undo pgwf 0019: identities are again whatever app.current_user_id says. The group role
-- pgwf_trusted_caller stays (other databases of the cluster may use it), like the others.
SET LOCAL ROLE pgwf_owner;

ALTER TABLE automation.workflow_approvals DROP COLUMN client_info;
ALTER TABLE automation.workflow_instances DROP COLUMN client_info;
DROP TABLE entitlements.identity_keys;
COMMENT ON COLUMN flowable.task_history.client_info IS 'What the calling client said about itself (application, address), if anything.';

RESET ROLE;
