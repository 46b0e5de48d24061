-- flowable.workflow_queues.escalation_config is validated on every write (trigger
-- trg_workflow_queues_escalation_config): a value escalate_overdue_tasks could not apply is
-- refused with PW422 naming the queue and the key.
BEGIN;
SELECT plan(14);

SELECT tests.cr_world();

SELECT throws_ok(
    $$UPDATE flowable.workflow_queues SET escalation_config = '{"levels": {"1": {"priority_boost": "ten"}}}' WHERE queue_name = 'Q_CLAIMS'$$,
    'PW422', 'escalation_config of queue Q_CLAIMS: levels.1.priority_boost must be a whole number from -1000000 to 1000000',
    'a priority_boost that is not a number is refused, naming the queue and the key');
SELECT throws_ok(
    $$SELECT tests.cr_queue('Q_NEW', p_escalation_config => '{"levels": {"2": {"set_priority": 7.5}}}')$$,
    'PW422', 'escalation_config of queue Q_NEW: levels.2.set_priority must be a whole number from -1000000 to 1000000',
    'a new queue with a fractional set_priority is refused');
SELECT throws_ok(
    $$UPDATE flowable.workflow_queues SET escalation_config = '{"enabled": "yes"}' WHERE queue_name = 'Q_CLAIMS'$$,
    'PW422', 'escalation_config of queue Q_CLAIMS: enabled must be true or false',
    'enabled must be a JSON boolean');
SELECT throws_ok(
    $$UPDATE flowable.workflow_queues SET escalation_config = '{"max_level": 4}' WHERE queue_name = 'Q_CLAIMS'$$,
    'PW422', 'escalation_config of queue Q_CLAIMS: max_level must be a whole number from 0 to 3',
    'max_level above 3 is refused');
SELECT throws_ok(
    $$UPDATE flowable.workflow_queues SET escalation_config = '{"repeat_after_minutes": -5}' WHERE queue_name = 'Q_CLAIMS'$$,
    'PW422', NULL, 'a negative repeat_after_minutes is refused');
SELECT throws_ok(
    $$UPDATE flowable.workflow_queues SET escalation_config = '{"max_levle": 2}' WHERE queue_name = 'Q_CLAIMS'$$,
    'PW422', 'escalation_config of queue Q_CLAIMS: max_levle is not a known key (enabled, max_level, repeat_after_minutes, levels)',
    'a misspelt key is refused rather than silently ignored');
SELECT throws_ok(
    $$UPDATE flowable.workflow_queues SET escalation_config = '{"levels": {"4": {}}}' WHERE queue_name = 'Q_CLAIMS'$$,
    'PW422', 'escalation_config of queue Q_CLAIMS: levels.4 is not a level (levels are "1", "2" and "3")',
    'a level other than 1, 2 or 3 is refused');
SELECT throws_ok(
    $$UPDATE flowable.workflow_queues SET escalation_config = '{"levels": {"1": {"release": "true"}}}' WHERE queue_name = 'Q_CLAIMS'$$,
    'PW422', NULL, 'release must be a JSON boolean');
SELECT throws_ok(
    $$UPDATE flowable.workflow_queues SET escalation_config = '{"levels": {"1": {"notify_role": "CLAIMS_SUPERVISOR", "notify_channel": "pigeon"}}}' WHERE queue_name = 'Q_CLAIMS'$$,
    'PW422', 'escalation_config of queue Q_CLAIMS: levels.1.notify_channel must be email, slack, webhook or sms',
    'an unknown notification channel is refused');
SELECT throws_ok(
    $$UPDATE flowable.workflow_queues SET escalation_config = '{"levels": {"1": {"extend_due_minutes": 1e12}}}' WHERE queue_name = 'Q_CLAIMS'$$,
    'PW422', NULL, 'an extend_due_minutes too large to add to a date is refused');
SELECT lives_ok(
    $$UPDATE flowable.workflow_queues
      SET escalation_config = '{"enabled": true, "max_level": 3, "repeat_after_minutes": 60, "levels": {"1": {"priority_boost": 10, "notify_role": "CLAIMS_SUPERVISOR", "notify_channel": "slack"}, "2": {"move_to_queue": "Q_FRAUD", "release": true, "extend_due_minutes": 240}, "3": {"set_priority": 100}}}'
      WHERE queue_name = 'Q_CLAIMS'$$,
    'the documented example is accepted');
SELECT lives_ok($$UPDATE flowable.workflow_queues SET escalation_config = '{}' WHERE queue_name = 'Q_CLAIMS'$$,
    'an empty escalation_config (every default) is accepted');
SELECT lives_ok($$UPDATE flowable.workflow_queues SET max_capacity = 5 WHERE queue_name = 'Q_CLAIMS'$$,
    'other changes of a queue are not affected');
SELECT is((SELECT count(*)::int FROM pg_trigger WHERE tgrelid = 'flowable.workflow_queues'::regclass
            AND tgname = 'trg_workflow_queues_escalation_config'), 1,
    'the validation is a trigger on flowable.workflow_queues');

SELECT * FROM finish();
ROLLBACK;
