"""Models, runs and approvals through the API: alice draws and runs a
workflow whose approval belongs to the security team (erin); the database
decides who sees and decides what."""

from __future__ import annotations

from typing import Any

from api_helpers import Api, api_fixture  # noqa: F401  (the api fixture)


def approval_graph() -> dict[str, Any]:
    return {
        "nodes": [
            {"id": "start", "type": "trigger", "position": {"x": 0, "y": 0},
             "data": {"label": "Change requested", "triggerType": "manual"}},
            {"id": "ok", "type": "approval", "position": {"x": 200, "y": 0},
             "data": {"label": "Security approves", "approverRole": "SECURITY_TEAM",
                      "message": "Change {{change}}?"}},
            {"id": "done", "type": "end", "position": {"x": 400, "y": 0}, "data": {"label": "Done"}},
            {"id": "stop", "type": "end", "position": {"x": 400, "y": 100}, "data": {"label": "Refused"}},
        ],
        "edges": [
            {"id": "e1", "source": "start", "target": "ok"},
            {"id": "e2", "source": "ok", "target": "done", "sourceHandle": "approved"},
            {"id": "e3", "source": "ok", "target": "stop", "sourceHandle": "rejected"},
        ],
        "viewport": {"x": 0, "y": 0, "zoom": 1},
    }


def deployed(api: Api) -> str:
    saved = api.post("/workflows", "alice", body={"workflow_data": approval_graph(),
                                                  "name": "Change approval", "category": "compliance",
                                                  "tags": ["demo"]})
    assert saved.status == 200, saved.body
    wid = saved.body["id"]
    deploy = api.post(f"/workflows/{wid}/deploy", "alice")
    assert deploy.status == 200, deploy.body
    assert isinstance(deploy.body["definition_id"], int)
    return wid


def start(api: Api, wid: str) -> str:
    resp = api.post(f"/workflows/{wid}/runs", "alice", body={"input": {"change": "CHG-1"}})
    assert resp.status == 200, resp.body
    return resp.body["run_id"]


def pending_approvals(api: Api, user: str) -> list[dict[str, Any]]:
    resp = api.get("/approvals", user)
    assert resp.status == 200, resp.body
    return resp.body["items"]


def test_save_get_and_version_a_model(api: Api) -> None:
    wid = deployed(api)
    got = api.get(f"/workflows/{wid}", "alice")
    assert got.status == 200
    assert {n["id"] for n in got.body["workflow_data"]["nodes"]} == {"start", "ok", "done", "stop"}
    # saving a deployed version makes a new version of the same model
    again = api.post("/workflows", "alice", body={"workflow_data": approval_graph(),
                                                  "name": "Change approval", "workflow_id": wid})
    assert again.status == 200, again.body
    assert again.body["id"] != wid
    assert again.body["workflow_key"] == got.body["workflow_key"]
    versions = api.get(f"/workflows/{wid}/versions", "alice").body["items"]
    assert [v["id"] for v in versions] == [wid, again.body["id"]]


def test_an_invalid_graph_is_a_422_naming_the_fault(api: Api) -> None:
    graph = approval_graph()
    graph["edges"].append({"id": "e9", "source": "ok", "target": "nowhere"})
    resp = api.post("/workflows/validate", "alice", body={"workflow_data": graph})
    assert resp.status == 422, resp.body
    assert resp.body["error"]["code"] == "PW422"
    assert "e9" in resp.body["error"]["message"] or "nowhere" in resp.body["error"]["message"]
    assert api.post("/workflows/validate", "alice",
                    body={"workflow_data": approval_graph()}).body == {"valid": True}
    assert api.post("/workflows", "alice", body={"workflow_data": graph, "name": "x"}).status == 422


def test_only_the_approver_role_sees_and_decides_the_approval(api: Api) -> None:
    run = start(api, deployed(api))
    assert pending_approvals(api, "bob") == []   # neither his run nor his role
    waiting = pending_approvals(api, "erin")
    assert len(waiting) == 1
    assert waiting[0]["instance_id"] == run  # the run it belongs to
    approval = waiting[0]["id"]
    refused = api.post(f"/approvals/{approval}/approve", "alice")
    assert refused.status in (403, 404), refused.body
    assert api.get(f"/runs/{run}", "alice").body["status"] == "running"
    ok = api.post(f"/approvals/{approval}/approve", "erin", body={"comment": "fine"})
    assert ok.status == 200, ok.body
    done = api.get(f"/runs/{run}", "alice")
    assert done.status == 200
    assert done.body["status"] == "completed"
    assert [s["node_id"] for s in done.body["steps"]][:2] == ["start", "ok"]
    again = api.post(f"/approvals/{approval}/reject", "erin")
    assert again.status == 409, again.body


def test_pause_resume_and_cancel_a_run(api: Api) -> None:
    run = start(api, deployed(api))
    paused = api.post(f"/runs/{run}/pause", "alice", body={"reason": "wait"})
    assert paused.status == 200, paused.body
    assert paused.body["status"] == "paused"
    assert api.post(f"/runs/{run}/pause", "alice").status == 409
    assert api.post(f"/runs/{run}/resume", "alice").body["status"] == "running"
    assert api.post(f"/runs/{run}/cancel", "alice").body["status"] == "cancelled"
    assert api.get(f"/runs/{run}", "alice").body["status"] == "cancelled"


def test_retry_a_failed_run_from_the_step_it_failed_at(api: Api) -> None:
    graph = {"nodes": [{"id": "start", "type": "trigger", "data": {"triggerType": "manual"}},
                       {"id": "work", "type": "action", "data": {"label": "Call the service"}},
                       {"id": "done", "type": "end"}],
             "edges": [{"id": "e1", "source": "start", "target": "work"},
                       {"id": "e2", "source": "work", "target": "done"}]}
    wid = api.post("/workflows", "alice", body={"workflow_data": graph, "name": "Retry me"}).body["id"]
    assert api.post(f"/workflows/{wid}/deploy", "alice").status == 200
    run = start(api, wid)
    refused = api.post(f"/runs/{run}/retry", "alice")
    assert refused.status == 409, refused.body
    assert "only a failed run can" in refused.body["error"]["message"]
    # a worker takes the step and it fails for good
    api.sql("SELECT automation.claim_steps('w', ARRAY['action'])")
    step = api.sql("SELECT id FROM automation.workflow_executions WHERE instance_id = %s AND node_id = 'work'",
                   (run,))[0][0]
    api.sql("SELECT automation.fail_step(%s, 'service down', false, 'w')", (step,))
    assert api.get(f"/runs/{run}", "alice").body["status"] == "failed"
    assert api.post(f"/runs/{run}/retry", "bob").status == 403
    again = api.post(f"/runs/{run}/retry", "alice", body={"reason": "service is back"})
    assert again.status == 200, again.body
    assert again.body == {"run_id": run, "status": "running"}
    steps = api.get(f"/runs/{run}", "alice").body["steps"]
    assert [(s["node_id"], s["status"]) for s in steps][1:] == [("work", "failed"), ("work", "pending")]


def test_runs_filter_by_workflow_version_and_status(api: Api) -> None:
    first = deployed(api)
    second = api.post("/workflows", "alice", body={"workflow_data": approval_graph(),
                                                   "name": "Second model"}).body["id"]
    assert api.post(f"/workflows/{second}/deploy", "alice").status == 200
    one_run, other_run = start(api, first), start(api, second)
    api.post(f"/runs/{other_run}/cancel", "alice")
    mine = api.get(f"/runs?workflow_id={first}", "alice")
    assert mine.status == 200, mine.body
    assert [r["id"] for r in mine.body["items"]] == [one_run]
    assert [r["id"] for r in api.get(f"/runs?workflow_id={second}&status=cancelled",
                                     "alice").body["items"]] == [other_run]
    assert api.get(f"/runs?workflow_id={second}&status=running", "alice").body["items"] == []
    bad = api.get("/runs?workflow_id=nope", "alice")
    assert bad.status == 400, bad.body
    assert bad.body["error"]["message"] == "query parameter workflow_id must be a UUID"


def test_a_run_id_that_is_not_a_uuid_is_a_client_error(api: Api) -> None:
    resp = api.post("/runs/not-a-uuid/pause", "alice")
    assert 400 <= resp.status < 500, resp.body
    assert api.get("/runs/not-a-uuid", "alice").status == 404
    assert api.get("/workflows/not-a-uuid", "alice").status == 404


def test_only_a_workflow_admin_changes_models_and_versions(api: Api) -> None:
    wid = deployed(api)  # alice holds workflow_admin in the demo data
    for method, path, body in (
        ("POST", "/workflows", {"workflow_data": approval_graph(), "name": "Mine now"}),
        ("POST", "/workflows", {"workflow_data": approval_graph(), "name": "Taken over", "workflow_id": wid}),
        ("POST", f"/workflows/{wid}/deploy", None),
        ("POST", f"/workflows/{wid}/triggers", {"trigger_type": "manual"}),
        ("POST", "/processes/OneCMS_Nextgen_WF/versions/1/activate", None),
        ("DELETE", "/processes/OneCMS_Nextgen_WF/versions/1", None),
    ):
        refused = api.call(method, path, "bob", body=body)  # bob does not
        assert refused.status == 403, (path, refused.body)
        assert "workflow_admin" in refused.body["error"]["message"], refused.body
    versions = api.get(f"/workflows/{wid}/versions", "alice")
    assert versions.status == 200, versions.body
    assert len(versions.body["items"]) == 1  # no version was made by the refused save


def test_a_call_activity_shows_its_child_run(api: Api) -> None:
    """The caller's call step names the child run, which names its caller and lists under it."""
    child = deployed(api)
    child_key = api.get(f"/workflows/{child}", "alice").body["workflow_key"]
    graph = {
        "nodes": [
            {"id": "start", "type": "trigger", "position": {"x": 0, "y": 0}, "data": {"label": "Start"}},
            {"id": "ask", "type": "call", "position": {"x": 200, "y": 0},
             "data": {"label": "Ask security", "calledElement": child_key,
                      "in": [{"source": "change", "target": "change"}]}},
            {"id": "done", "type": "end", "position": {"x": 400, "y": 0}, "data": {"label": "Done"}},
        ],
        "edges": [{"id": "e1", "source": "start", "target": "ask"}, {"id": "e2", "source": "ask", "target": "done"}],
        "viewport": {"x": 0, "y": 0, "zoom": 1},
    }
    saved = api.post("/workflows", "alice", body={"workflow_data": graph, "name": "Change with a call"})
    assert saved.status == 200, saved.body
    assert api.post(f"/workflows/{saved.body['id']}/deploy", "alice").status == 200
    run = start(api, saved.body["id"])
    caller = api.get(f"/runs/{run}", "alice").body
    call_step = next(s for s in caller["steps"] if s["node_id"] == "ask")
    assert (call_step["step_type"], call_step["status"]) == ("call", "running")
    child_run = call_step["input_data"]["calledRunId"]
    children = api.get(f"/runs?parent_instance_id={run}", "alice")
    assert children.status == 200, children.body
    assert [(r["id"], r["parent_instance_id"]) for r in children.body["items"]] == [(child_run, run)]
    assert api.get("/runs?parent_instance_id=nope", "alice").status == 400
    # the approval in the child decides it, and the caller goes on
    approval = pending_approvals(api, "erin")[0]["id"]
    assert api.post(f"/approvals/{approval}/approve", "erin").status == 200
    assert api.get(f"/runs/{child_run}", "alice").body["status"] == "completed"
    assert api.get(f"/runs/{run}", "alice").body["status"] == "completed"
