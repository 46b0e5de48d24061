-- Schema for automation workflows: React Flow models, triggers, runs, step
-- executions, approvals and the notification outbox.
CREATE SCHEMA IF NOT EXISTS automation;
COMMENT ON SCHEMA automation IS 'pgwf: automation workflow models, triggers, runs, step executions, approvals, notification outbox';
