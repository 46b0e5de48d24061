-- pgwf 0015: event sub-processes (docs/graph-model.md, "Event sub-processes").
-- depends: 0014_multi-instance
--
-- * workflow_event_subscriptions.token_id may be NULL: the timer, message or signal start of an
--   event sub-process at the run's top level listens for the whole run, which has no scope
--   token there. Such a subscription goes when the run stops.

SET LOCAL ROLE pgwf_owner;

ALTER TABLE automation.workflow_event_subscriptions ALTER COLUMN token_id DROP NOT NULL;
COMMENT ON COLUMN automation.workflow_event_subscriptions.token_id IS 'The token that waits (a catch event, receive task or event-based gateway), whose activity a boundary event watches, or whose sub-process an event sub-process start listens in; NULL: an event sub-process start at the run''s top level.';

RESET ROLE;
