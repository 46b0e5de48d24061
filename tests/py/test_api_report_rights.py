"""The reports of the API run with the caller's rights: each person gets the automation
reports (which answer for people now) over only the runs they may see."""

from __future__ import annotations

from api_helpers import Api, api_fixture  # noqa: F401  (the api fixture)


def _seed_runs(api: Api) -> None:
    api.sql("""
        WITH w AS (
            INSERT INTO automation.workflows (name, category, is_active, workflow_data)
            VALUES ('report rights', 'custom', true, '{"nodes": [], "edges": []}') RETURNING id)
        INSERT INTO automation.workflow_instances (workflow_id, status, triggered_by, trigger_source)
        SELECT w.id, s.status, s.who, 'manual'
        FROM w, (VALUES ('completed', 'alice'), ('failed', 'bob'), ('failed', 'bob')) AS s(status, who)""")


def test_workflow_reports_answer_people_with_their_own_runs(api: Api) -> None:
    _seed_runs(api)
    path = "/reports/workflow-execution-summary?workflow_name=report%20rights"
    alice = api.get(path, "alice")
    assert alice.status == 200, alice.body
    assert [(r["triggered_by"], r["status"]) for r in alice.body["items"]] == [("alice", "completed")]
    bob = api.get(path, "bob")
    assert bob.status == 200, bob.body
    assert sorted((r["triggered_by"], r["status"]) for r in bob.body["items"]) == [
        ("bob", "failed"), ("bob", "failed")]

    perf = api.get("/reports/workflow-performance?workflow_name=report%20rights", "alice")
    assert perf.status == 200, perf.body
    assert [(r["total_executions"], r["successful_executions"], r["failed_executions"])
            for r in perf.body["items"]] == [(1, 1, 0)]
    perf_bob = api.get("/reports/workflow-performance?workflow_name=report%20rights", "bob")
    assert [(r["total_executions"], r["failed_executions"])
            for r in perf_bob.body["items"]] == [(2, 2)]


def test_an_unknown_report_column_is_a_400_for_the_automation_reports_too(api: Api) -> None:
    resp = api.get("/reports/workflow-performance?nosuchcolumn=1", "alice")
    assert resp.status == 400, resp.body
    assert resp.body["error"]["code"] == "PW400"
