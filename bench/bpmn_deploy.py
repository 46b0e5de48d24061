"""Deploy time of BPMN processes, compiled and stored inside PostgreSQL.

Measures flowable.bpmn_compile (parse + validate + compile) and
flowable.deploy_process (compile, save the graph with its node and edge rows,
register the next version) for the OneCMS example and for a generated process
of 500 flow nodes (with their sequence flows and diagram interchange).

    .venv/bin/python bench/bpmn_deploy.py [--runs 20] [--no-record]
"""

from __future__ import annotations

import argparse

import psycopg

try:  # as part of the bench package (python -m bench)
    from .bpmn_common import (
        DEMO_ORG,
        EXAMPLE,
        act_as_workflow_admin,
        append_results,
        bench_database,
        current_commit,
        summary,
        timed_ms,
    )
except ImportError:  # as a script (python bench/bpmn_deploy.py)
    from bpmn_common import (
        DEMO_ORG,
        EXAMPLE,
        act_as_workflow_admin,
        append_results,
        bench_database,
        current_commit,
        summary,
        timed_ms,
    )

BPMN_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
             'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
             'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
             'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xmlns:flowable="http://flowable.org/bpmn" xmlns:pgwf="urn:pgwf:bpmn" '
             'targetNamespace="urn:pgwf:bench">\n')


def generated_process(flow_nodes: int = 500, key: str = "generated500") -> str:
    """start, then blocks of (exclusive split -> 2 user tasks -> merge) and
    (parallel fork -> 2 tasks -> join) alternating, then end; exactly
    ``flow_nodes`` nodes, each with a diagram shape, each flow with a DI edge."""
    nodes: list[tuple[str, str, str]] = [("start", "startEvent", "")]
    flows: list[tuple[str, str, str | None]] = []
    last = "start"
    block = 0
    while len(nodes) + 4 <= flow_nodes - 1:
        block += 1
        kind = "exclusiveGateway" if block % 2 else "parallelGateway"
        split, a, b, join = f"split{block}", f"task{block}a", f"task{block}b", f"join{block}"
        task_a_attrs = (f' flowable:candidateGroups="BENCH" flowable:priority="{block % 100}"'
                        f' flowable:dueDate="PT{block}M" pgwf:queue="bench"')
        nodes += [(split, kind, f' default="f{block}_b"' if kind == "exclusiveGateway" else ""),
                  (a, "userTask", task_a_attrs),
                  (b, "userTask", ' flowable:candidateGroups="BENCH" pgwf:queue="bench"'),
                  (join, kind, "")]
        flows += [(last, split, None),
                  (split, a, f"${{amount > {block * 10} && region == 'EU'}}" if kind == "exclusiveGateway" else None),
                  (split, b, None), (a, join, None), (b, join, None)]
        last = join
    while len(nodes) < flow_nodes - 1:
        task = f"tail{len(nodes)}"
        nodes.append((task, "userTask", ' pgwf:queue="bench"'))
        flows.append((last, task, None))
        last = task
    nodes.append(("end", "endEvent", ""))
    flows.append((last, "end", None))

    out = [BPMN_HEAD, f'<process id="{key}" name="Generated {flow_nodes}-node process" isExecutable="true">\n']
    for node_id, kind, attrs in nodes:
        out.append(f'  <{kind} id="{node_id}" name="{node_id}"{attrs}/>\n')
    flow_ids = [f"f{src.removeprefix('split')}_b" if src.startswith("split") and dst.endswith("b") else f"flow{i}"
                for i, (src, dst, _) in enumerate(flows)]
    for flow_id, (src, dst, cond) in zip(flow_ids, flows, strict=True):
        if cond:
            out.append(f'  <sequenceFlow id="{flow_id}" sourceRef="{src}" targetRef="{dst}">'
                       f'<conditionExpression xsi:type="tFormalExpression"><![CDATA[{cond}]]></conditionExpression>'
                       '</sequenceFlow>\n')
        else:
            out.append(f'  <sequenceFlow id="{flow_id}" sourceRef="{src}" targetRef="{dst}"/>\n')
    out.append(f'</process>\n<bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="pl" bpmnElement="{key}">\n')
    for i, (node_id, _, _) in enumerate(nodes):
        out.append(f'<bpmndi:BPMNShape id="{node_id}_di" bpmnElement="{node_id}">'
                   f'<dc:Bounds x="{i * 150}" y="{(i % 3) * 120}" width="100" height="80"/></bpmndi:BPMNShape>\n')
    for i, flow_id in enumerate(flow_ids):
        out.append(f'<bpmndi:BPMNEdge id="e{i}_di" bpmnElement="{flow_id}"><di:waypoint x="0" y="0"/>'
                   '<di:waypoint x="10" y="10"/></bpmndi:BPMNEdge>\n')
    out.append("</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>\n</definitions>\n")
    return "".join(out)


def measure(url: str, runs: int) -> list[str]:
    example = EXAMPLE.read_text()
    generated = generated_process()
    lines: list[str] = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(DEMO_ORG.read_text())
        act_as_workflow_admin(conn, "bench")
        conn.execute("""INSERT INTO flowable.workflow_queues (queue_name) VALUES ('bench');
                        INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type, queue_name)
                        VALUES ('BENCH', 'Bench', 'CUSTOM', 'bench')""")
        counts = conn.execute("SELECT jsonb_array_length(g -> 'nodes'), jsonb_array_length(g -> 'edges') "
                              "FROM flowable.bpmn_to_graph(%s) g", (generated,)).fetchone()
        assert counts is not None
        generated_label = (f"generated process ({counts[0]} nodes, {counts[1]} flows, DI, "
                           f"{len(generated.encode()) // 1024} KiB)")
        for label, xml in (("OneCMS example (20 nodes, 22 flows, DI)", example), (generated_label, generated)):
            def compile_once(xml: str = xml) -> None:
                conn.execute("SELECT flowable.bpmn_compile(%s)", (xml,))
            compile_ms = [timed_ms(compile_once) for _ in range(runs)]
            deploy_ms: list[float] = []
            for i in range(runs):
                # a changed document each time, so every run stores a new version
                variant = xml.replace('isExecutable="true">', f'isExecutable="true"><documentation>run {i}</documentation>', 1)

                def deploy(variant: str = variant) -> None:
                    with conn.transaction():
                        conn.execute("SELECT flowable.deploy_process(%s, 'bench')", (variant,))
                deploy_ms.append(timed_ms(deploy))
            lines.append(f"{label}: bpmn_compile {summary(compile_ms)}; deploy_process {summary(deploy_ms)}")
            print(lines[-1])
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS.md")
    args = parser.parse_args()
    commit = current_commit()
    with bench_database("pgwf_bench_bpmn") as url:
        lines = measure(url, args.runs)
    if not args.no_record:
        append_results("BPMN deploy time", f".venv/bin/python bench/bpmn_deploy.py --runs {args.runs}", lines, commit)


if __name__ == "__main__":
    main()
