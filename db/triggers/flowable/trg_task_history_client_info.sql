-- Records who acted and how on every history row (flowable.record_history_client).
CREATE TRIGGER trg_task_history_client_info
    BEFORE INSERT ON flowable.task_history
    FOR EACH ROW EXECUTE FUNCTION flowable.record_history_client();

COMMENT ON TRIGGER trg_task_history_client_info ON flowable.task_history IS
    'Stamps client_info with entitlements.client_info(): the acting user, the database login and how they authenticated.';
