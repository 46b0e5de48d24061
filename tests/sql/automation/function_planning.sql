-- How pgwf's functions are planned (docs/architecture.md, "Functions that are planned once"):
-- a SQL-language function is either inlined into the statement that calls it (one expression or
-- one query, no SECURITY DEFINER, no SET clause, not VOLATILE) or it is parsed and planned again
-- on every call; every other function is PL/pgSQL, whose plans are kept for the session. Only
-- the few SQL functions of cold paths (deploying and checking models, listing) may be neither.
BEGIN;
SELECT plan(2);

SELECT results_eq(
    $$SELECT p.oid::regprocedure::text
      FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
      WHERE p.pronamespace IN ('automation'::regnamespace, 'entitlements'::regnamespace,
                               'flowable'::regnamespace, 'onecms'::regnamespace)
        AND l.lanname = 'sql'
        AND (p.prosecdef OR p.proconfig IS NOT NULL OR p.provolatile = 'v')
      ORDER BY 1$$,
    $$VALUES ('automation.expired_history(integer)'),
             ('automation.sync_workflow_graph(uuid)'),
             ('automation.worker_topics()'),
             ('entitlements.list_api_tokens(character varying)'),
             ('flowable.deploy_process(text,character varying,character varying,boolean,jsonb,jsonb,character varying)'),
             ('flowable.form_problem(jsonb)')$$,
    'no SQL function a hot path calls is planned on every call (SECURITY DEFINER, a SET clause or VOLATILE): those are PL/pgSQL');

-- A SECURITY DEFINER trigger function keeps its search_path (the rule for every definer); an
-- invoker's fires inside the functions that write, under their search_path. The one exception
-- checks queue configuration, which administrators change, not the hot paths.
SELECT results_eq(
    $$SELECT p.oid::regprocedure::text
      FROM pg_proc p
      WHERE p.pronamespace IN ('automation'::regnamespace, 'entitlements'::regnamespace,
                               'flowable'::regnamespace, 'onecms'::regnamespace)
        AND p.prorettype = 'trigger'::regtype AND NOT p.prosecdef AND p.proconfig IS NOT NULL
      ORDER BY 1$$,
    $$VALUES ('flowable.validate_escalation_config()')$$,
    'no trigger function of a hot path has a SET clause (it would be applied and undone on every row)');

SELECT * FROM finish();
ROLLBACK;
