-- Schema for the link between business cases and the process instances that route them.
CREATE SCHEMA IF NOT EXISTS onecms;
COMMENT ON SCHEMA onecms IS 'pgwf: cases and the process instances that route them';
