-- pgwf 0006: task_history.escalate_to holds a whole queue name or role code.
-- depends: 0005_task-write-path
--
-- An ESCALATE row records in escalate_to the queue the task moved to or the role notified; both
-- names are varchar(100), so the column widens from the specification's varchar(50), which made
-- escalation fail for every queue as soon as one level named a longer queue or role
-- (docs/spec-deviations.md). Widening a varchar rewrites nothing.

SET LOCAL ROLE pgwf_owner;

ALTER TABLE flowable.task_history ALTER COLUMN escalate_to TYPE varchar(100);

RESET ROLE;
