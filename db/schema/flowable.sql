-- Schema for deployed processes, their instances, the queue tasks people work on,
-- task history and variables, and the case-routing reporting views.
CREATE SCHEMA IF NOT EXISTS flowable;
COMMENT ON SCHEMA flowable IS 'pgwf: process definitions and instances, queues, user tasks, task history, variables';
