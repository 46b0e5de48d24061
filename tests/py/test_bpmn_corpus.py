"""Conformance corpus: real-world BPMN 2.0 files compiled by the database.

The corpus lives outside the project (``../shared/bpmn-corpus`` or
``PGWF_BPMN_CORPUS``) with a MANIFEST.tsv saying which files use only the
supported elements. Every file is compiled with ``flowable.bpmn_compile``:

* a supported file compiles to the graph this test derives on its own from
  the XML (node and edge counts, node types, gateway kinds, conditions and
  default flows, diagram positions);
* every other file is refused with PW422 naming each unsupported element in
  the manifest's own notation, less what pgwf now accepts: the manifest lists
  what the original subset refused, and descriptive elements (lanes, data
  objects and stores, properties, I/O declarations, plain data associations,
  renderings) and standard assignment (potentialOwner, humanPerformer) are
  accepted since (docs/bpmn.md); ``accepted_since`` takes them out;
* the events and scopes pgwf runs since (sub-processes, boundary,
  intermediate, message and signal start events, manual, plain, receive,
  script and business-rule tasks, event-based gateways, call activities:
  docs/bpmn.md) are
  taken out the same way; a file whose whole list goes compiles, unless it
  is listed in EXTRA_PROBLEMS for what else it holds;
* three files the manifest calls supported are refused for reasons the
  manifest does not judge (vendor attribute values, a service task naming no
  implementation, a gateway with no outgoing flow); each is listed below with
  its reason.
"""

from __future__ import annotations

import csv
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("PGWF_BPMN_CORPUS", ROOT.parent / "shared" / "bpmn-corpus"))

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
BPMNDI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
DC = "{http://www.omg.org/spec/DD/20100524/DC}"

NODE_TYPES = {
    "startEvent": "trigger",
    "endEvent": "end",
    "userTask": "task",
    "serviceTask": "action",
    "sendTask": "notification",
    "exclusiveGateway": "gateway",
    "parallelGateway": "gateway",
    "inclusiveGateway": "gateway",
}

# Kinds the manifest reports that pgwf accepts now (docs/bpmn.md, "What is ignored"):
# as items of their own, and as bracketed children of a supported element.
DESCRIPTIVE_ITEMS = {"laneSet", "lane", "childLaneSet", "textAnnotation", "association", "group", "dataObject",
                     "dataObjectReference", "dataStoreReference", "property", "ioSpecification"}
DESCRIPTIVE_CHILDREN = {"property", "ioSpecification", "dataInput", "dataOutput", "inputSet", "outputSet",
                        "dataInputAssociation", "dataOutputAssociation", "rendering"}
EVENT_DEFINITIONS = {"timerEventDefinition", "messageEventDefinition", "signalEventDefinition", "errorEventDefinition",
                     "escalationEventDefinition", "linkEventDefinition"}
LOOPS = {"multiInstanceLoopCharacteristics", "standardLoopCharacteristics"}
ACCEPTED_CHILDREN = {"userTask": {"potentialOwner", "humanPerformer"} | LOOPS, "scriptTask": {"script"} | LOOPS,
                     **{kind: LOOPS for kind in ("serviceTask", "businessRuleTask", "sendTask", "manualTask", "task",
                                                 "receiveTask", "subProcess", "callActivity")},
                     **{kind: EVENT_DEFINITIONS for kind in ("startEvent", "endEvent", "boundaryEvent",
                                                             "intermediateCatchEvent", "intermediateThrowEvent")}}
# Kinds pgwf runs since the manifest was written (node types in docs/bpmn.md); loops on activities.
ACCEPTED_KINDS = {"subProcess", "boundaryEvent", "intermediateCatchEvent", "intermediateThrowEvent", "manualTask",
                  "task", "receiveTask", "eventBasedGateway", "scriptTask", "businessRuleTask", "callActivity"}
# Data associations that carry a transformation or assignment stay refused (element id: kinds).
MAPPING_CHILDREN = {
    "bpmn-moddle__yaoqiang-event-definitions.bpmn": {"ID_StartEvent": {"dataOutputAssociation"}},
}


def accepted_since(items: list[str], mappings: dict[str, set[str]] | None = None) -> list[str]:
    """The manifest's unsupported items (id:kind[child|...]) less what pgwf accepts now."""
    mappings = mappings or {}
    left = []
    for item in items:
        head, _, rest = item.partition("[")
        element_id, kind = head.rsplit(":", 1)
        if kind in DESCRIPTIVE_ITEMS:
            continue
        children = [c for c in rest.rstrip("]").split("|") if c] if rest else []
        children = [c for c in children if c in mappings.get(element_id, set())
                    or (c not in DESCRIPTIVE_CHILDREN and c not in ACCEPTED_CHILDREN.get(kind, set()))]
        if not children and (kind in NODE_TYPES or kind in ACCEPTED_KINDS):
            continue
        left.append(head + (f"[{'|'.join(children)}]" if children else ""))
    return left


# Supported elements, refused all the same: (element id, words of the reason).
REFUSED_SUPPORTED = {
    "flowable__TaskDueDateExtensionsTest.testDueDateExtension.bpmn20.xml": [
        ("parallelJoin", "parallelGateway has no outgoing sequence flow"),
    ],
    "activiti__variable-mapping-with-loop.bpmn20.xml": [
        ("Task_0od1320", "serviceTask names no implementation for a worker topic"),
    ],
}

# Unsupported files: problems reported besides the manifest's elements.
EXTRA_PROBLEMS = {
    "camunda__invoice.v2.bpmn": [
        ("approveInvoice", "the camunda:taskListener extension is not supported"),
    ],
    "bpmn-moddle__yaoqiang-event-definitions.bpmn": [
        ("ID_UserTimeoutEvent", "date 'DateTime.AddDays(Execution.Created, 1)' is not an ISO 8601 date-time"),
        ("ID_ServiceTask", "serviceTask names no implementation for a worker topic"),
        ("ID_Flow_EsclusiveGateway_ErrorEnd", 'unexpected character "=" at position 13'),
    ],
}


def manifest() -> list[dict[str, str]]:
    if not (CORPUS / "MANIFEST.tsv").is_file():
        return []
    with open(CORPUS / "MANIFEST.tsv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def details() -> dict[str, dict[str, str]]:
    with open(CORPUS / "DETAILS.tsv", newline="", encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh, delimiter="\t")}


ROWS = manifest()
pytestmark = pytest.mark.skipif(
    not ROWS, reason=f"the BPMN corpus is not present at {CORPUS} (set PGWF_BPMN_CORPUS)")


def compile_file(url: str, name: str) -> dict:
    text = (CORPUS / name).read_text(encoding="utf-8")
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT flowable.bpmn_compile(%s)", (text,)).fetchone()
        conn.rollback()
    assert row is not None
    return row[0]


def refusal(url: str, name: str) -> str:
    with pytest.raises(psycopg.Error) as info:
        compile_file(url, name)
    assert info.value.sqlstate == "PW422", str(info.value)
    return info.value.diag.message_primary or ""


def expected_graph(name: str) -> dict:
    """What the graph must hold, read from the XML without pgwf's code."""
    root = ET.parse(CORPUS / name).getroot()
    process = root.find(f"{BPMN}process")
    assert process is not None
    nodes: dict[str, dict] = {}
    flows: list[dict] = []
    for el in process:
        kind = el.tag.replace(BPMN, "")
        if kind in NODE_TYPES:
            nodes[el.get("id")] = {"kind": kind, "default": el.get("default")}
        elif kind == "sequenceFlow":
            flows.append({"id": el.get("id"), "source": el.get("sourceRef"), "target": el.get("targetRef"),
                          "condition": el.find(f"{BPMN}conditionExpression") is not None})
    shapes = {}
    for shape in root.iter(f"{BPMNDI}BPMNShape"):
        bounds = shape.find(f"{DC}Bounds")
        if bounds is not None and shape.get("bpmnElement") not in shapes:
            shapes[shape.get("bpmnElement")] = (round(float(bounds.get("x"))), round(float(bounds.get("y"))))
    return {"nodes": nodes, "flows": flows, "shapes": shapes}


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_corpus_file(sql_db: str, row: dict[str, str]) -> None:
    name = row["file"]
    if row["supported"] == "no":
        items = accepted_since(row["unsupported_elements"].split(","), MAPPING_CHILDREN.get(name))
        if not items and name not in EXTRA_PROBLEMS:
            # everything the original subset refused runs now: the whole process compiles
            result = compile_file(sql_db, name)
            ids = {el.get("id") for el in ET.parse(CORPUS / name).getroot().iter()
                   if el.tag.replace(BPMN, "") in set(NODE_TYPES) | ACCEPTED_KINDS}
            assert ids <= {n["id"] for n in result["graph"]["nodes"]}
            return
        message = refusal(sql_db, name)
        if items:
            assert f"unsupported elements: {', '.join(items)}" in message
        else:
            assert "unsupported elements" not in message
        for element_id, words in EXTRA_PROBLEMS.get(name, []):
            assert f"{element_id}: " in message and words in message, (element_id, words, message)
        return

    if name in REFUSED_SUPPORTED:
        message = refusal(sql_db, name)
        for element_id, words in REFUSED_SUPPORTED[name]:
            assert f"{element_id}: {words}" in message, message
        assert "unsupported elements" not in message
        return

    want = expected_graph(name)
    result = compile_file(sql_db, name)
    graph = result["graph"]
    by_id = {n["id"]: n for n in graph["nodes"]}
    edges = graph["edges"]

    # counts agree with the XML and with the corpus's own DETAILS.tsv
    assert len(by_id) == len(want["nodes"])
    assert len(edges) == len(want["flows"])
    assert len(by_id) + len(edges) == int(details()[name]["flow_elements"])

    for node_id, node in want["nodes"].items():
        got = by_id[node_id]
        assert got["type"] == NODE_TYPES[node["kind"]], node_id
        if got["type"] == "gateway":
            assert got["data"]["kind"] == node["kind"].removesuffix("Gateway"), node_id
        if node_id in want["shapes"]:
            assert (got["position"]["x"], got["position"]["y"]) == want["shapes"][node_id], node_id

    defaults = {n["default"] for n in want["nodes"].values() if n["default"]}
    for flow, edge in zip(want["flows"], edges, strict=True):
        if flow["id"]:
            assert edge["id"] == flow["id"]
        assert (edge["source"], edge["target"]) == (flow["source"], flow["target"])
        data = edge.get("data", {})
        if flow["id"] in defaults:
            assert data == {"default": True}, flow
        elif flow["condition"]:
            assert isinstance(data.get("conditions"), list) and len(data["conditions"]) == 1, flow
        else:
            assert data == {}, flow

    assert result["process"]["id"] == ET.parse(CORPUS / name).getroot().find(f"{BPMN}process").get("id")


def test_corpus_has_both_kinds() -> None:
    """The manifest still has supported and unsupported files to test."""
    kinds = {r["supported"] for r in ROWS}
    assert kinds == {"yes", "no"}
    assert set(REFUSED_SUPPORTED) <= {r["file"] for r in ROWS if r["supported"] == "yes"}


def test_corpus_conditions_compile_to_documented_form(sql_db: str) -> None:
    """The dialects in the corpus (#{x}, ${!x}, eq, constants) compile to leaf conditions."""
    graph = compile_file(sql_db, "camunda__ProcessInstanceAssert-hasPassedInOrder-loop.bpmn")["graph"]
    conditions = [e["data"]["conditions"][0] for e in graph["edges"] if "conditions" in e.get("data", {})]
    assert {"field": "exit", "operator": "equals", "value": True} in conditions
    assert {"not": {"field": "exit", "operator": "equals", "value": True}} in conditions
    merge = compile_file(sql_db, "flowable__Flowable6Test.testInclusiveTrickyMerge.bpmn20.xml")["graph"]
    assert [e["data"]["conditions"] for e in merge["edges"] if "conditions" in e.get("data", {})] == [[{"all": []}]]


COMPILING = [r["file"] for r in ROWS if r["supported"] == "yes" and r["file"] not in REFUSED_SUPPORTED]


@pytest.mark.parametrize("name", COMPILING)
def test_corpus_file_round_trips_through_export(sql_db: str, name: str) -> None:
    """Exported BPMN (with diagram interchange) compiles back to the same graph."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    with psycopg.connect(sql_db) as conn:
        first, exported, second = conn.execute(
            """
            WITH c AS (SELECT flowable.bpmn_compile(%s) AS r),
                 x AS (SELECT r, flowable.bpmn_from_graph(r -> 'graph', r #>> '{process,id}',
                                                          r #>> '{process,name}', r #>> '{process,documentation}',
                                                          (r #>> '{process,historyTimeToLive}')::integer) AS xml
                       FROM c)
            SELECT r, xml, flowable.bpmn_compile(xml) FROM x
            """, (text,)).fetchone()
        conn.rollback()
    assert second["graph"] == first["graph"]
    assert second["process"] == first["process"]
    root = ET.fromstring(exported.encode())
    plane = root.find(f"{BPMNDI}BPMNDiagram/{BPMNDI}BPMNPlane")
    assert plane is not None
    assert len(plane.findall(f"{BPMNDI}BPMNShape")) == len(first["graph"]["nodes"])
    assert len(plane.findall(f"{BPMNDI}BPMNEdge")) == len(first["graph"]["edges"])


def test_every_compiling_corpus_file_deploys(fresh_db: str) -> None:
    """Each compiling file deploys (saved graph rows, a version, the XML kept),
    with tasks that name no queue sent to a default queue."""
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        conn.execute("INSERT INTO flowable.workflow_queues (queue_name) VALUES ('corpus')")
        # deploying needs a holder of the workflow_admin role, acting as themself
        conn.execute("""
            INSERT INTO entitlements.users (user_id, username, email) VALUES ('corpus-test', 'corpus-test', 'corpus-test' || '@example.org')
                ON CONFLICT (user_id) DO NOTHING;
            INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type)
                VALUES ('workflow_admin', 'Workflow administrator', 'SYSTEM') ON CONFLICT (role_code) DO NOTHING;
            INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by, valid_from)
                SELECT 'corpus-test', role_id, 'admin', now() - interval '1 day' FROM entitlements.workflow_roles
                 WHERE role_code = 'workflow_admin' ON CONFLICT (user_id, role_id) DO NOTHING;
            SELECT set_config('app.current_user_id', 'corpus-test', false);
        """)
        versions: dict[str, int] = {}
        for name in COMPILING:
            text = (CORPUS / name).read_text(encoding="utf-8")
            deployed = conn.execute("SELECT flowable.deploy_process(%s, 'corpus-test', p_default_queue => 'corpus')",
                                    (text,)).fetchone()
            assert deployed is not None
            row = conn.execute(
                """SELECT d.process_key, d.process_version, d.bpmn_xml = %s,
                          (SELECT count(*) FROM automation.workflow_nodes n WHERE n.workflow_id::text = d.deployment_id),
                          (SELECT count(*) FROM automation.workflow_edges e WHERE e.workflow_id::text = d.deployment_id)
                     FROM flowable.workflow_definitions d WHERE d.workflow_id = %s""",
                (text, deployed[0])).fetchone()
            want = expected_graph(name)
            assert row is not None
            # files sharing a process id (oneTaskProcess twice) are versions of one process
            versions[row[0]] = versions.get(row[0], 0) + 1
            assert row[1:] == (versions[row[0]], True, len(want["nodes"]), len(want["flows"])), name
