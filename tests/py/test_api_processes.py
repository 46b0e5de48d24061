"""BPMN processes, variables, cases, queues and reports through the API."""

from __future__ import annotations

from pathlib import Path

from api_helpers import Api, api_fixture  # noqa: F401  (the api fixture)

ROOT = Path(__file__).resolve().parents[2]
BPMN = (ROOT / "examples" / "OneCMS_Nextgen_WF.bpmn20.xml").read_text()


def test_deploy_start_and_follow_a_case(api: Api) -> None:
    deployed = api.post("/processes", "alice", body={"bpmn_xml": BPMN})
    assert deployed.status == 200, deployed.body
    definition = deployed.body["workflow_id"]
    started = api.post("/processes/OneCMS_Nextgen_WF/start", "alice",
                       body={"business_key": "CASE-7001", "case_id": 7001, "priority": 60,
                             "variables": {"caseType": "standard"}})
    assert started.status == 200, started.body
    pid = started.body["process_instance_id"]
    case = api.get("/cases/7001", "alice")
    assert case.status == 200, case.body
    assert [p["process_instance_id"] for p in case.body["processes"]] == [pid]
    assert api.get("/cases/7001", "bob").status == 404  # not his queue, not his case
    bpmn = api.get(f"/processes/{definition}/bpmn", "alice")
    assert bpmn.status == 200, bpmn.body
    assert "OneCMS_Nextgen_WF" in bpmn.body["bpmn_xml"]


def test_a_broken_bpmn_document_is_a_422(api: Api) -> None:
    resp = api.post("/processes", "alice", body={"bpmn_xml": "<definitions><process id='x'>"})
    assert resp.status == 422, resp.body
    assert resp.body["error"]["code"] == "PW422"


def test_variables_are_written_by_the_task_holder_and_read_back(api: Api) -> None:
    pid = api.post("/processes/OneCMS_Nextgen_WF/start", "alice",
                   body={"business_key": "CASE-7002", "case_id": 7002}).body["process_instance_id"]
    task = next(t for t in api.get("/tasks?queue=intake&limit=500", "alice").body["items"]
                if t["process_instance_id"] == pid)
    path = f"/process-instances/{pid}/variables/riskScore"
    refused = api.call("PUT", path, "alice", body={"type": "INTEGER", "value": 7})
    assert refused.status == 403, refused.body  # she holds no task of it yet
    assert api.post(f"/tasks/{task['task_id']}/claim", "alice").status == 200
    ok = api.call("PUT", path, "alice", body={"type": "INTEGER", "value": 7})
    assert ok.status == 200, ok.body
    got = api.get(path, "alice")
    assert got.status == 200, got.body
    assert got.body == {"name": "riskScore", "value": 7}
    bad = api.call("PUT", path, "alice", body={"type": "INTEGER", "value": "seven"})
    assert bad.status == 422, bad.body
    assert api.call("PUT", path, "alice", body={"type": "INTEGER"}).status == 400


def test_queues_and_reports(api: Api) -> None:
    queues = api.get("/queues", "alice")
    assert queues.status == 200, queues.body
    assert "intake" in {q["queue_name"] for q in queues.body["items"]}
    listing = api.get("/reports", "alice").body["items"]
    assert {r["name"] for r in listing} >= {"active-tasks-by-queue", "user-workload"}
    report = api.get("/reports/active-tasks-by-queue?queue_name=legal_review", "bob")
    assert report.status == 200, report.body
    assert [(r["queue_name"], r["open_tasks"]) for r in report.body["items"]] == [("legal_review", 1)]
    paged = api.get("/reports/user-workload?limit=2", "carol")
    assert paged.status == 200 and len(paged.body["items"]) <= 2
    assert api.get("/reports/active-tasks-by-queue?nosuch=1", "bob").status == 400


def test_validate_activate_and_delete_versions(api: Api) -> None:
    compiled = api.post("/processes/validate", "alice", body={"bpmn_xml": BPMN})
    assert compiled.status == 200, compiled.body
    assert compiled.body  # the compiled graph and the process's id and name
    assert api.post("/processes/validate", "alice",
                    body={"bpmn_xml": "<definitions/>"}).status == 422
    second = BPMN.replace('name="OneCMS next generation case routing"',
                          'name="OneCMS next generation case routing v2"')
    assert second != BPMN
    assert api.post("/processes", "alice", body={"bpmn_xml": second}).status == 200
    versions = api.sql("SELECT process_version, is_active FROM flowable.workflow_definitions"
                       " WHERE process_key = 'OneCMS_Nextgen_WF' ORDER BY 1")
    assert versions[-1] == (2, True)
    back = api.post("/processes/OneCMS_Nextgen_WF/versions/1/activate", "alice")
    assert back.status == 200, back.body
    assert api.sql("SELECT process_version FROM flowable.workflow_definitions"
                   " WHERE process_key = 'OneCMS_Nextgen_WF' AND is_active") == [(1,)]
    gone = api.call("DELETE", "/processes/OneCMS_Nextgen_WF/versions/2", "alice")
    assert gone.status == 200, gone.body
    in_use = api.call("DELETE", "/processes/OneCMS_Nextgen_WF/versions/1", "alice")
    assert in_use.status == 409, in_use.body  # the demo's cases run on it
