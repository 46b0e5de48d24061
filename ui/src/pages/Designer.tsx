import { useCallback, useEffect, useMemo, useState } from "react";
import {
  addEdge, Background, Controls, ReactFlow, ReactFlowProvider, useEdgesState, useNodesState, useReactFlow,
  type Connection, type Edge,
} from "@xyflow/react";
import { ApiError, detailLines, get, post, qs, refusalItems, type Me, type Page, type Workflow } from "../api";
import { Empty, ErrorBox, Notice, useAction, useLoad } from "../common";
import { fromFlow, namedElements, NODE_TYPES, nodeTypes, OUT_HANDLES, toFlow, type PNode } from "../flow";
import { go } from "../nav";

const FIT = { padding: 0.2, maxZoom: 1.1 };

const DEFAULT_DATA: Record<string, Record<string, unknown>> = {
  trigger: { triggerType: "manual" },
  action: { connector: "http", input: {} },
  integration: { connector: "http", input: {} },
  condition: { condition: { field: "input.value", operator: "exists" } },
  approval: { approverRole: "", message: "" },
  notification: { channel: "email", recipients: [], subject: "", message: "" },
  task: { queueName: "" },
  gateway: { kind: "exclusive" },
  end: { terminate: false },
};

export function Designer({ me, workflowId }: { me: Me; workflowId?: string }) {
  const list = useLoad(() => get<Page<Workflow>>("/workflows" + qs({ limit: 500 })), [workflowId]);
  const items = list.value?.items ?? [];
  const drawn = items.filter((w) => w.category !== "bpmn");
  const bpmn = items.filter((w) => w.category === "bpmn");
  return (
    <div className="designer">
      <aside className="card wf-list" aria-labelledby="models-h">
        <h1 id="models-h">Designer</h1>
        <p><a className="button" href="#/designer/new">New workflow</a></p>
        <ErrorBox error={list.error} />
        <h2>Drawn</h2>
        {drawn.length === 0 && <Empty text="none yet" />}
        <ul>{drawn.map((w) => <WfLink key={w.id} w={w} current={workflowId} />)}</ul>
        <h2>BPMN processes</h2>
        {bpmn.length === 0 && <Empty text="none yet" />}
        <ul>{bpmn.map((w) => <WfLink key={w.id} w={w} current={workflowId} />)}</ul>
        <BpmnUpload onDeployed={() => void list.reload()} />
      </aside>
      {workflowId ? (
        <ReactFlowProvider key={workflowId}>
          <Editor me={me} workflowId={workflowId === "new" ? null : workflowId} />
        </ReactFlowProvider>
      ) : (
        <section className="card"><p>Open a workflow on the left, or start a new one.</p></section>
      )}
    </div>
  );
}

function WfLink({ w, current }: { w: Workflow; current?: string }) {
  return (
    <li>
      <a href={`#/designer/${w.id}`} aria-current={w.id === current ? "page" : undefined}>
        {w.name} <small>{w.version}</small>
      </a>
    </li>
  );
}

function Editor({ me, workflowId }: { me: Me; workflowId: string | null }) {
  const [nodes, setNodes, onNodesChange] = useNodesState<PNode>([]);
  const [edges, setEdges, onEdgesChange] = useEdgesState<Edge>([]);
  const [name, setName] = useState("New workflow");
  const [wf, setWf] = useState<Workflow | null>(null);
  const [deployed, setDeployed] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [addType, setAddType] = useState<string>("trigger");
  const [selected, setSelected] = useState<{ kind: "node" | "edge"; id: string } | null>(null);
  const action = useAction();
  const readOnly = wf?.category === "bpmn";
  const { fitView } = useReactFlow();
  const refit = useCallback(() => window.setTimeout(() => void fitView(FIT), 0), [fitView]);

  useEffect(() => {
    if (!workflowId) return;
    get<Workflow>(`/workflows/${workflowId}`).then((w) => {
      setWf(w);
      setName(w.name);
      const f = toFlow(w.workflow_data);
      setNodes(f.nodes);
      setEdges(f.edges);
      refit();
    }, setLoadError);
  }, [workflowId, setNodes, setEdges, refit]);

  const pin = useCallback((err: ApiError | null) => {
    setProblem(err);
    const ids = err ? namedElements(`${err.message} ${detailLines(err.detail).join(" ")}`,
      [...nodes.map((n) => n.id), ...edges.map((e) => e.id)]) : [];
    setNodes((ns) => ns.map((n) => ({ ...n, data: { ...n.data, __error: ids.includes(n.id) ? err!.message : undefined } })));
    setEdges((es) => es.map((e) => ({
      ...e, className: ids.includes(e.id) ? "edge-error" : undefined,
      label: ids.includes(e.id) ? `⚠ ${e.sourceHandle ?? ""}`.trim() : (e.sourceHandle ?? undefined),
    })));
  }, [nodes, edges, setNodes, setEdges]);

  const graph = () => fromFlow(nodes, edges);
  const refused = (e: unknown) => {
    if (e instanceof ApiError && e.status === 422) pin(e);
    else throw e;
  };

  const validate = () => action.run(async () => {
    setNotice(null);
    try {
      await post("/workflows/validate", { workflow_data: graph() });
      pin(null);
      setNotice("The graph is valid.");
    } catch (e) { refused(e); }
  });

  const save = () => action.run(async () => {
    setNotice(null);
    try {
      const saved = await post<Workflow>("/workflows", {
        workflow_data: graph(), name, workflow_id: wf?.id ?? undefined,
      });
      pin(null);
      setNotice(`Saved version ${saved.version}.`);
      if (saved.id !== wf?.id) go("designer", saved.id);
      return saved;
    } catch (e) { refused(e); }
  });

  const deploy = () => action.run(async () => {
    if (!wf) return;
    await post(`/workflows/${wf.id}/deploy`, {});
    setDeployed(true);
    setNotice(`Deployed version ${wf.version}.`);
  });

  const start = () => action.run(async () => {
    if (!wf) return;
    const res = await post<{ run_id: string }>(`/workflows/${wf.id}/runs`, { input: {} });
    go("runs", res.run_id);
  });

  const onConnect = useCallback((c: Connection) => {
    setEdges((es) => addEdge({
      ...c, id: `e_${c.source}_${c.target}${c.sourceHandle ? "_" + c.sourceHandle : ""}`,
      type: "smoothstep", label: c.sourceHandle ?? undefined,
    }, es));
  }, [setEdges]);

  const addNode = () => {
    let n = 1;
    while (nodes.some((x) => x.id === `${addType}_${n}`)) n++;
    const id = `${addType}_${n}`;
    const x = 40 + nodes.length * 200;
    setNodes((ns) => [...ns, {
      id, type: addType, position: { x, y: 80 + (nodes.length % 2) * 60 },
      data: { label: `${addType} ${n}`, ...structuredClone(DEFAULT_DATA[addType]) },
    }]);
    setSelected({ kind: "node", id });
    refit();
  };

  const canAdmin = (me.roles ?? []).includes("workflow_admin");
  if (loadError) return <section className="card"><ErrorBox error={loadError} /></section>;
  return (
    <section className="editor" aria-labelledby="editor-h">
      <h2 id="editor-h">{wf ? `${wf.name} ${wf.version}` : "New workflow"}{readOnly ? " (BPMN, read-only)" : ""}</h2>
      {!readOnly && (
        <div className="toolbar card">
          <label htmlFor="wf-name">Name</label>
          <input id="wf-name" value={name} onChange={(e) => setName(e.target.value)} />
          <label htmlFor="add-type">Node type</label>
          <select id="add-type" value={addType} onChange={(e) => setAddType(e.target.value)}>
            {NODE_TYPES.map((t) => <option key={t}>{t}</option>)}
          </select>
          <button type="button" onClick={addNode}>Add node</button>
          <button type="button" onClick={() => void validate()} disabled={action.busy}>Validate</button>
          <button type="button" onClick={() => void save()} disabled={action.busy || !name.trim()}>Save</button>
          <button type="button" onClick={() => void deploy()} disabled={action.busy || !wf}>Deploy</button>
          <button type="button" onClick={() => void start()} disabled={action.busy || !wf}>Start run</button>
        </div>
      )}
      {!canAdmin && !readOnly && <p className="hint">Saving and deploying need the workflow_admin role; validating does not.</p>}
      {deployed && <p className="hint">This version is deployed: saving it again makes the next version.</p>}
      <ErrorBox error={action.error ?? problem} />
      <Notice text={notice} />
      <div className="editor-body">
        <div className="canvas" aria-label="Workflow canvas">
          <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes}
            onNodesChange={readOnly ? undefined : onNodesChange}
            onEdgesChange={readOnly ? undefined : onEdgesChange}
            onConnect={readOnly ? undefined : onConnect}
            nodesDraggable={!readOnly} nodesConnectable={!readOnly}
            onNodeClick={(_, n) => setSelected({ kind: "node", id: n.id })}
            onEdgeClick={(_, e) => setSelected({ kind: "edge", id: e.id })}
            fitView fitViewOptions={FIT} minZoom={0.1} proOptions={{ hideAttribution: true }}>
            <Background />
            <Controls showInteractive={false} />
          </ReactFlow>
        </div>
        <SidePanel nodes={nodes} edges={edges} setNodes={setNodes} setEdges={setEdges}
          selected={selected} setSelected={setSelected} readOnly={readOnly} />
      </div>
    </section>
  );
}

type SetNodes = ReturnType<typeof useNodesState<PNode>>[1];
type SetEdges = ReturnType<typeof useEdgesState<Edge>>[1];

function SidePanel({ nodes, edges, setNodes, setEdges, selected, setSelected, readOnly }: {
  nodes: PNode[]; edges: Edge[]; setNodes: SetNodes; setEdges: SetEdges;
  selected: { kind: "node" | "edge"; id: string } | null;
  setSelected: (s: { kind: "node" | "edge"; id: string } | null) => void; readOnly: boolean;
}) {
  const node = selected?.kind === "node" ? nodes.find((n) => n.id === selected.id) : undefined;
  const edge = selected?.kind === "edge" ? edges.find((e) => e.id === selected.id) : undefined;
  return (
    <aside className="card side" aria-label="Configuration">
      <h3>Configuration</h3>
      <label htmlFor="pick-node">Node</label>
      <select id="pick-node" value={node?.id ?? ""} onChange={(e) => setSelected(e.target.value ? { kind: "node", id: e.target.value } : null)}>
        <option value="">—</option>
        {nodes.map((n) => <option key={n.id} value={n.id}>{n.id} ({n.type})</option>)}
      </select>
      <label htmlFor="pick-edge">Edge</label>
      <select id="pick-edge" value={edge?.id ?? ""} onChange={(e) => setSelected(e.target.value ? { kind: "edge", id: e.target.value } : null)}>
        <option value="">—</option>
        {edges.map((x) => <option key={x.id} value={x.id}>{x.id}</option>)}
      </select>
      {node && <NodeForm key={node.id} node={node} nodes={nodes} setNodes={setNodes} setEdges={setEdges} readOnly={readOnly} />}
      {edge && <EdgeForm key={edge.id} edge={edge} setEdges={setEdges} readOnly={readOnly} onDeleted={() => setSelected(null)} />}
    </aside>
  );
}

function configOf(node: PNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node.data)) if (k !== "label" && !k.startsWith("__")) out[k] = v;
  return out;
}

function NodeForm({ node, nodes, setNodes, setEdges, readOnly }: {
  node: PNode; nodes: PNode[]; setNodes: SetNodes; setEdges: SetEdges; readOnly: boolean;
}) {
  const [label, setLabel] = useState(String(node.data.label ?? ""));
  const [config, setConfig] = useState(JSON.stringify(configOf(node), null, 2));
  const [bad, setBad] = useState<string | null>(null);
  const handles = OUT_HANDLES[node.type ?? ""] ?? [];
  const [handle, setHandle] = useState(handles[0] ?? "");
  const targets = useMemo(() => nodes.filter((n) => n.id !== node.id && n.type !== "trigger"), [nodes, node.id]);
  const [target, setTarget] = useState(targets[0]?.id ?? "");

  const apply = () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(config || "{}");
    } catch (e) {
      setBad(`The configuration is not JSON: ${(e as Error).message}`);
      return;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      setBad("The configuration must be a JSON object.");
      return;
    }
    setBad(null);
    setNodes((ns) => ns.map((n) => (n.id === node.id
      ? { ...n, data: { ...(parsed as Record<string, unknown>), label, __error: n.data.__error } } : n)));
  };
  const connect = () => {
    const to = target || targets[0]?.id;
    if (!to) return;
    const id = `e_${node.id}_${to}${handle ? "_" + handle : ""}`;
    setEdges((es) => es.some((e) => e.id === id) ? es : [...es, {
      id, source: node.id, target: to, sourceHandle: handle || null, type: "smoothstep", label: handle || undefined,
    }]);
  };
  const remove = () => {
    setEdges((es) => es.filter((e) => e.source !== node.id && e.target !== node.id));
    setNodes((ns) => ns.filter((n) => n.id !== node.id));
  };
  return (
    <div className="stack" data-testid="node-form">
      <h4>Node {node.id} <small>{node.type}</small></h4>
      {node.data.__error && <p className="error-text" role="alert">{node.data.__error}</p>}
      <label htmlFor="node-label">Label</label>
      <input id="node-label" value={label} readOnly={readOnly} onChange={(e) => setLabel(e.target.value)} />
      <label htmlFor="node-config">Configuration (JSON)</label>
      <textarea id="node-config" rows={8} value={config} readOnly={readOnly} onChange={(e) => setConfig(e.target.value)}
        aria-describedby={node.type === "task" ? "node-config-help" : undefined} />
      {node.type === "task" && (
        <p className="hint" id="node-config-help">
          A task's <code>form</code> is the form its inbox shows: a list of fields
          {" "}<code>{'{"name", "label", "type", "required", "options"}'}</code>, type one of string, text,
          number, integer, boolean, date, enum (with <code>options</code>). Completing the task needs data that fills it.
        </p>
      )}
      {bad && <p className="error-text" role="alert">{bad}</p>}
      {!readOnly && (
        <>
          <div className="actions">
            <button type="button" onClick={apply}>Apply</button>
            <button type="button" className="danger" onClick={remove}>Delete node</button>
          </div>
          {node.type !== "end" && (
            <fieldset>
              <legend>Connect from {node.id}</legend>
              {handles.length > 0 && (
                <>
                  <label htmlFor="connect-handle">Outcome</label>
                  <select id="connect-handle" value={handle} onChange={(e) => setHandle(e.target.value)}>
                    {handles.map((h) => <option key={h}>{h}</option>)}
                  </select>
                </>
              )}
              <label htmlFor="connect-target">To node</label>
              <select id="connect-target" value={target} onChange={(e) => setTarget(e.target.value)}>
                {targets.map((n) => <option key={n.id} value={n.id}>{n.id}</option>)}
              </select>
              <button type="button" onClick={connect} disabled={targets.length === 0}>Connect</button>
            </fieldset>
          )}
        </>
      )}
    </div>
  );
}

function EdgeForm({ edge, setEdges, readOnly, onDeleted }: {
  edge: Edge; setEdges: SetEdges; readOnly: boolean; onDeleted: () => void;
}) {
  const data = (edge.data ?? {}) as Record<string, unknown>;
  const [conditions, setConditions] = useState(
    data.conditions !== undefined ? JSON.stringify(data.conditions, null, 2) : "");
  const [isDefault, setIsDefault] = useState(data.default === true);
  const [bad, setBad] = useState<string | null>(null);
  const apply = () => {
    const next: Record<string, unknown> = {};
    if (conditions.trim()) {
      try {
        next.conditions = JSON.parse(conditions);
      } catch (e) {
        setBad(`The conditions are not JSON: ${(e as Error).message}`);
        return;
      }
    }
    if (isDefault) next.default = true;
    setBad(null);
    setEdges((es) => es.map((e) => (e.id === edge.id ? { ...e, data: next } : e)));
  };
  return (
    <div className="stack" data-testid="edge-form">
      <h4>Edge {edge.id}</h4>
      <p>{edge.source}{edge.sourceHandle ? ` (${edge.sourceHandle})` : ""} → {edge.target}</p>
      <label htmlFor="edge-conditions">Conditions (JSON list, all must hold)</label>
      <textarea id="edge-conditions" rows={5} value={conditions} readOnly={readOnly}
        placeholder='[{"field": "input.amount", "operator": "greater_than", "value": 100}]'
        onChange={(e) => setConditions(e.target.value)} />
      <label className="check">
        <input type="checkbox" checked={isDefault} disabled={readOnly} onChange={(e) => setIsDefault(e.target.checked)} />
        Default flow of a gateway
      </label>
      {bad && <p className="error-text" role="alert">{bad}</p>}
      {!readOnly && (
        <div className="actions">
          <button type="button" onClick={apply}>Apply</button>
          <button type="button" className="danger" onClick={() => {
            setEdges((es) => es.filter((e) => e.id !== edge.id));
            onDeleted();
          }}>Delete edge</button>
        </div>
      )}
    </div>
  );
}

function BpmnUpload({ onDeployed }: { onDeployed: () => void }) {
  const [xml, setXml] = useState<string | null>(null);
  const [fileName, setFileName] = useState("");
  const [refusal, setRefusal] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();
  const send = (deploy: boolean) => action.run(async () => {
    if (xml === null) return;
    setNotice(null);
    setRefusal(null);
    try {
      if (deploy) {
        await post("/processes", { bpmn_xml: xml });
        setNotice(`Deployed ${fileName}.`);
        onDeployed();
      } else {
        await post("/processes/validate", { bpmn_xml: xml });
        setNotice(`${fileName} compiles.`);
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 422) setRefusal(e);
      else throw e;
    }
  });
  const problems = refusal ? refusalItems(refusal.detail) : [];
  return (
    <form className="stack bpmn-upload" aria-label="Upload BPMN" onSubmit={(e) => { e.preventDefault(); void send(true); }}>
      <h2>Upload BPMN</h2>
      <label htmlFor="bpmn-file">BPMN file</label>
      <input id="bpmn-file" type="file" accept=".bpmn,.xml,.bpmn20.xml,text/xml,application/xml"
        onChange={async (e) => {
          const f = e.target.files?.[0];
          setRefusal(null);
          setNotice(null);
          setFileName(f?.name ?? "");
          setXml(f ? await f.text() : null);
        }} />
      <div className="actions">
        <button type="button" disabled={xml === null || action.busy} onClick={() => void send(false)}>Check BPMN</button>
        <button type="submit" disabled={xml === null || action.busy}>Deploy BPMN</button>
      </div>
      <ErrorBox error={action.error} />
      <Notice text={notice} />
      {refusal && (
        <div className="error" role="alert">
          <strong>{refusal.code}</strong> {refusal.message.split(":")[0]}
          <ul className="refusals" aria-label="Refused elements">
            {problems.map((p, i) => p.id ? (
              <li key={i} data-element-id={p.id}><code>{p.id}</code> {p.text}</li>
            ) : <li key={i}>{p.text}</li>)}
          </ul>
        </div>
      )}
    </form>
  );
}
