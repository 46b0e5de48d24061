-- Who may name objects in schema automation at all: people (pgwf_app) read their runs and call
-- the engine's functions, workers (pgwf_worker) call the step and notification functions,
-- reporting tools (pgwf_reporting) read the views. What each may do is granted per object.
GRANT USAGE ON SCHEMA automation TO pgwf_app, pgwf_worker, pgwf_reporting;
