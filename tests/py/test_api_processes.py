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


# A modeler's export: a collaboration of two pools, lanes, an annotation, a data
# store, modeler metadata, an external worker step, and a non-executable pool.
INTAKE = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:signavio="http://www.signavio.com"
    xmlns:pgwf="urn:pgwf:bpmn" targetNamespace="urn:test">
  <collaboration id="collab"><participant id="p1" processRef="intakeOrders"/>
    <participant id="p2" processRef="intakeBilling"/></collaboration>
  <process id="intakeOrders" name="Intake orders" isExecutable="true">
    <laneSet id="ls"><lane id="clerks" name="Clerks"><flowNodeRef>check</flowNodeRef></lane></laneSet>
    <textAnnotation id="note"><text>Call the customer</text></textAnnotation>
    <association id="a1" sourceRef="check" targetRef="note"/>
    <dataStoreReference id="crm"/>
    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="check"/>
    <userTask id="check" name="Check the order" pgwf:queue="intake">
      <extensionElements><signavio:signavioMetaData metaKey="bgcolor" metaValue="#ffffff"/></extensionElements>
    </userTask>
    <sequenceFlow id="f2" sourceRef="check" targetRef="reserve"/>
    <serviceTask id="reserve" camunda:type="external" camunda:topic="reserve-stock"/>
    <sequenceFlow id="f3" sourceRef="reserve" targetRef="e"/><endEvent id="e"/>
  </process>
  <process id="intakeBilling" name="Intake billing" isExecutable="true">
    <startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="bill"/>
    <userTask id="bill" pgwf:queue="intake"/><sequenceFlow id="f2" sourceRef="bill" targetRef="e"/><endEvent id="e"/>
  </process>
  <process id="intakeCustomer" isExecutable="false"><task id="x"/></process>
</definitions>
"""


def test_check_then_deploy_a_modeler_export_and_read_it_back(api: Api) -> None:
    check = api.post("/processes/check", "alice", body={"bpmn_xml": INTAKE})
    assert check.status == 200, check.body
    assert check.body["deployable"] is True
    orders, billing = check.body["processes"]
    assert (orders["process_key"], orders["action"], orders["version"]) == ("intakeOrders", "deploy", 1)
    assert orders["topics"] == ["reserve-stock"]
    assert {(i["kind"], i["id"]) for i in orders["ignored"]} >= {
        ("laneSet", "ls"), ("lane", "clerks"), ("textAnnotation", "note"), ("association", "a1"),
        ("dataStoreReference", "crm"), ("collaboration", "collab"), ("process", "intakeCustomer")}
    assert billing["process_key"] == "intakeBilling"
    assert api.sql("SELECT count(*) FROM flowable.workflow_definitions WHERE process_key LIKE 'intake%'") == [(0,)]

    deployed = api.post("/processes", "alice", body={"bpmn_xml": INTAKE})
    assert deployed.status == 200, deployed.body
    assert [(p["process_key"], p["version"]) for p in deployed.body["processes"]] == [
        ("intakeOrders", 1), ("intakeBilling", 1)]
    assert deployed.body["workflow_id"] == deployed.body["processes"][0]["workflow_id"]

    listing = api.get("/processes", "alice")
    assert listing.status == 200, listing.body
    by_key = {p["process_key"]: p for p in listing.body["items"]}
    assert (by_key["intakeOrders"]["versions"], by_key["intakeOrders"]["active_version"]) == (1, 1)
    assert "intakeCustomer" not in by_key

    shown = api.get("/processes/intakeOrders", "alice")
    assert shown.status == 200, shown.body
    version = shown.body["versions"][0]
    assert version["ignored_elements"] == orders["ignored"]
    assert version["topics"] == ["reserve-stock"]
    assert api.get("/processes/nosuch", "alice").status == 404

    bpmn = api.get("/processes/intakeOrders/versions/1/bpmn", "alice")
    assert bpmn.status == 200, bpmn.body
    assert 'id="intakeOrders"' in bpmn.body["bpmn_xml"]
    raw = api.get("/processes/intakeOrders/versions/1/bpmn?format=xml", "alice")
    assert raw.status == 200 and raw.headers["Content-Type"].startswith("application/xml")
    assert api.get("/processes/intakeOrders/versions/9/bpmn", "alice").status == 404


def test_a_refused_document_lists_every_problem_and_stores_nothing(api: Api) -> None:
    bad = INTAKE.replace('<userTask id="bill" pgwf:queue="intake"/>',
                         '<userTask id="bill" pgwf:queue="intake"/><complexGateway id="calc"/>')
    check = api.post("/processes/check", "alice", body={"bpmn_xml": bad})
    assert check.status == 200, check.body
    assert check.body["deployable"] is False
    assert check.body["processes"][1]["refused"] == ["unsupported elements: calc:complexGateway"]
    refused = api.post("/processes", "alice", body={"bpmn_xml": bad})
    assert refused.status == 422, refused.body
    assert "calc:complexGateway" in refused.body["error"]["message"]
    assert api.sql("SELECT count(*) FROM flowable.workflow_definitions WHERE process_key LIKE 'intake%'") == [(0,)]


def test_the_xml_itself_may_be_the_body(api: Api) -> None:
    resp = api.post("/processes?activate=true", "alice", raw=INTAKE.encode(),
                    headers={"Content-Type": "application/xml"})
    assert resp.status == 200, resp.body
    assert [p["process_key"] for p in resp.body["processes"]] == ["intakeOrders", "intakeBilling"]


def test_one_upload_limit_for_api_and_database(api: Api) -> None:
    limit = api.sql("SELECT flowable.bpmn_max_document_bytes()")[0][0]
    assert limit == 5 * 1024 * 1024
    padding = "<documentation>" + "x" * (3 * 1024 * 1024) + "</documentation>"
    # 3 MiB: over the API's general body limit, under the BPMN limit, so the database decides
    big = INTAKE.replace('<process id="intakeBilling" name="Intake billing" isExecutable="true">',
                         '<process id="intakeBilling" name="Intake billing" isExecutable="true">' + padding)
    ok = api.post("/processes/validate", "alice", body={"bpmn_xml": big, "process_id": "intakeBilling"})
    assert ok.status == 200, ok.body
    too_big = INTAKE.replace("<text>Call the customer</text>", "<text>" + "y" * limit + "</text>")
    size = len(too_big.encode())
    for resp in (api.post("/processes", "alice", body={"bpmn_xml": too_big}),
                 api.post("/processes", "alice", raw=too_big.encode(),
                          headers={"Content-Type": "application/xml"})):
        assert resp.status == 413, resp.body
        assert resp.body["error"]["message"] == (
            f"BPMN document is {size} bytes, over the limit of {limit} bytes"
            " (the database setting pgwf.bpmn_max_document_bytes)")


def test_business_key_is_shown_and_searchable_where_runs_are_listed(api: Api) -> None:
    assert api.post("/processes", "alice", body={"bpmn_xml": INTAKE}).status == 200
    started = api.post("/processes/intakeBilling/start", "alice", body={"business_key": "ORD-42"})
    assert started.status == 200, started.body
    pid = started.body["process_instance_id"]
    api.post("/processes/intakeBilling/start", "alice", body={"business_key": "ORD-43"})
    found = api.get("/runs?business_key=ORD-42", "alice")
    assert found.status == 200, found.body
    assert [(r["id"], r["business_key"]) for r in found.body["items"]] == [(pid, "ORD-42")]
    instances = api.get("/processes/intakeBilling/instances", "alice")
    assert instances.status == 200, instances.body
    assert {i["business_key"] for i in instances.body["items"]} == {"ORD-42", "ORD-43"}
    one = api.get("/processes/intakeBilling/instances?business_key=ORD-43", "alice").body["items"]
    assert [(i["business_key"], i["version"], i["status"]) for i in one] == [("ORD-43", 1, "ACTIVE")]
    assert api.get(f"/runs/{pid}", "alice").body["business_key"] == "ORD-42"


def test_the_process_routes_are_in_the_openapi_document(api: Api) -> None:
    paths = api.get("/openapi.json").body["paths"]
    for path in ("/processes", "/processes/{process_key}", "/processes/{process_key}/versions/{version}/bpmn",
                 "/processes/{process_key}/instances", "/processes/check"):
        assert path in paths, path
    assert "get" in paths["/processes"] and "post" in paths["/processes"]
