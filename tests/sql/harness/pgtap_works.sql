-- The harness itself: pgTAP is installed and the four schemas exist.
BEGIN;
SELECT plan(5);
SELECT has_schema('entitlements', 'schema entitlements exists');
SELECT has_schema('flowable', 'schema flowable exists');
SELECT has_schema('onecms', 'schema onecms exists');
SELECT has_schema('automation', 'schema automation exists');
SELECT schema_owner_is('automation', 'pgwf_owner', 'pgwf_owner owns schema automation');
SELECT * FROM finish();
ROLLBACK;
