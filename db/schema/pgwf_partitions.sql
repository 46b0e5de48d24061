-- Schema of the partitions of pgwf's partitioned tables (flowable.task_history by month).
-- Kept apart: they are made and dropped by automation.maintain_partitions as time passes, are
-- read and written only through their parent (its grants and policies), and are no part of the
-- catalog pgwf db verify compares.
CREATE SCHEMA IF NOT EXISTS pgwf_partitions;
COMMENT ON SCHEMA pgwf_partitions IS 'pgwf: the monthly partitions of flowable.task_history (made and dropped by automation.maintain_partitions); reached only through the parent table';
