-- pgwf 0006: fixes to the task service's tables.
-- depends: 0005_task-write-path
--
-- * task_history.escalate_to holds a whole queue name or role code. An ESCALATE row records
--   in escalate_to the queue the task moved to or the role notified; both names are
--   varchar(100), so the column widens from the specification's varchar(50), which made
--   escalation fail for every queue as soon as one level named a longer queue or role
--   (docs/spec-deviations.md). Widening a varchar rewrites nothing.
-- * The comment on workflow_roles.permissions says that "supervise" also lets holders see the
--   tasks they may reassign and cancel (entitlements.visible_queue_names).
-- * workflow_queues.current_load is NOT NULL: a NULL count (only a hand-written one could be
--   NULL; CHECK (current_load >= 0) lets NULL through) switched off both the capacity check of
--   create_task and the counter itself. A queue holding NULL is first given its true count.

SET LOCAL ROLE pgwf_owner;

ALTER TABLE flowable.task_history ALTER COLUMN escalate_to TYPE varchar(100);

UPDATE flowable.workflow_queues q
SET current_load = (SELECT count(*)::integer FROM flowable.workflow_tasks t
                    WHERE t.queue_name = q.queue_name
                      AND t.status IN ('OPEN', 'CLAIMED', 'DELEGATED', 'ESCALATED'))
WHERE q.current_load IS NULL;

ALTER TABLE flowable.workflow_queues ALTER COLUMN current_load SET NOT NULL;

COMMENT ON COLUMN entitlements.workflow_roles.permissions IS 'Permission flags as a JSON object; {"view_all": true} lets holders see every task, history row and variable of the queues of the role''s department; {"supervise": true} lets them see, reassign and cancel tasks in those queues.';

RESET ROLE;
