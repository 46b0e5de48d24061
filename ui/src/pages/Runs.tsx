import { useMemo, useState } from "react";
import { Background, Controls, ReactFlow } from "@xyflow/react";
import { get, post, qs, type Page, type Run, type Workflow } from "../api";
import { Empty, ErrorBox, Notice, useAction, useLoad, when } from "../common";
import { latestSteps, nodeTypes, stepState, toFlow } from "../flow";

const STATUSES = ["", "pending", "running", "paused", "completed", "failed", "cancelled"];
const FINISHED = ["completed", "failed", "cancelled"];

function useWorkflowNames() {
  const wfs = useLoad(() => get<Page<Workflow>>("/workflows" + qs({ limit: 500 })), []);
  return useMemo(() => new Map((wfs.value?.items ?? []).map((w) => [w.id, w])), [wfs.value]);
}

export function Runs() {
  const [status, setStatus] = useState("");
  const [workflow, setWorkflow] = useState("");
  const [keyDraft, setKeyDraft] = useState("");
  const [businessKey, setBusinessKey] = useState("");
  const names = useWorkflowNames();
  const runs = useLoad(
    () => get<Page<Run>>("/runs" + qs({ status, workflow_id: workflow, business_key: businessKey, limit: 100 })),
    [status, workflow, businessKey], 3000, () => true);
  const items = runs.value?.items ?? [];
  return (
    <section aria-labelledby="runs-h">
      <h1 id="runs-h">Runs</h1>
      <form className="row card" aria-label="Filter runs" onSubmit={(e) => {
        e.preventDefault();
        setBusinessKey(keyDraft.trim());
      }}>
        <label htmlFor="run-status">Status</label>
        <select id="run-status" value={status} onChange={(e) => setStatus(e.target.value)}>
          {STATUSES.map((s) => <option key={s} value={s}>{s || "any"}</option>)}
        </select>
        <label htmlFor="run-workflow">Workflow</label>
        <select id="run-workflow" value={workflow} onChange={(e) => setWorkflow(e.target.value)}>
          <option value="">any</option>
          {[...names.values()].map((w) => <option key={w.id} value={w.id}>{w.name} {w.version}</option>)}
        </select>
        <label htmlFor="run-key">Business key</label>
        <input id="run-key" type="search" className="search" value={keyDraft} placeholder="exact key"
          onChange={(e) => {
            setKeyDraft(e.target.value);
            if (e.target.value === "") setBusinessKey("");
          }} />
        <button type="submit">Search</button>
      </form>
      {businessKey && <p className="hint">Runs with business key <strong>{businessKey}</strong></p>}
      <ErrorBox error={runs.error} />
      {items.length === 0 && !runs.loading && <Empty text="No runs you may see match." />}
      {items.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption>Runs, newest first</caption>
            <thead>
              <tr><th>Run</th><th>Business key</th><th>Workflow</th><th>Status</th><th>Progress</th><th>Current step</th><th>Started by</th><th>Started</th></tr>
            </thead>
            <tbody>
              {items.map((r) => {
                const w = r.workflow_id ? names.get(r.workflow_id) : undefined;
                return (
                  <tr key={r.id}>
                    <td><a href={`#/runs/${r.id}`}>{r.id.slice(0, 8)}</a></td>
                    <td data-testid="run-key">{r.business_key}</td>
                    <td>{w ? `${w.name} ${w.version}` : r.workflow_id}</td>
                    <td><span className={`badge run-${r.status}`}>{r.status}</span></td>
                    <td><progress max={100} value={r.progress ?? 0} aria-label={`progress ${r.progress ?? 0}%`} /> {r.progress ?? 0}%</td>
                    <td>{r.current_step}</td>
                    <td>{r.triggered_by}</td>
                    <td>{when(r.started_at ?? r.created_at)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const LEGEND: [string, string][] = [
  ["done", "done"], ["running", "running"], ["person", "waiting for a person"],
  ["worker", "waiting for a worker"], ["failed", "failed"], ["skipped", "skipped"],
];

export function RunPage({ runId }: { runId: string }) {
  // a control (a retry above all) starts the polling again: a new epoch is a new load loop
  const [epoch, setEpoch] = useState(0);
  const run = useLoad(() => get<Run>(`/runs/${encodeURIComponent(runId)}`), [runId, epoch], 1000,
    (r) => r !== undefined && !FINISHED.includes(r.status));
  const workflowId = run.value?.workflow_id ?? null;
  const wf = useLoad(
    () => (workflowId ? get<Workflow>(`/workflows/${workflowId}`) : Promise.resolve(undefined)), [workflowId]);
  const action = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const r = run.value;

  const flow = useMemo(() => {
    const base = toFlow(wf.value?.workflow_data);
    const steps = latestSteps(r?.steps);
    return {
      nodes: base.nodes.map((n) => {
        const s = stepState(steps.get(n.id));
        return { ...n, data: { ...n.data, __state: s.state, __stateText: s.text } };
      }),
      edges: base.edges,
    };
  }, [wf.value, r?.steps]);

  const control = async (verb: "pause" | "resume" | "cancel" | "retry") => {
    setNotice(null);
    const res = await action.run(() => post<{ status: string }>(`/runs/${runId}/${verb}`, {}));
    if (res !== undefined) setNotice(`${verb}: the run is ${res.status}`);
    setEpoch((n) => n + 1);
  };

  if (run.error && !r) return <ErrorBox error={run.error} />;
  if (!r) return <p>Loading…</p>;
  return (
    <section aria-labelledby="run-h" className="run-page">
      <p><a href="#/runs">← Runs</a></p>
      <h1 id="run-h">{wf.value ? `${wf.value.name} ${wf.value.version}` : "Run"} <small>{r.id}</small></h1>
      <dl className="facts">
        <dt>Status</dt><dd><span className={`badge run-${r.status}`} data-testid="run-status">{r.status}</span></dd>
        {r.business_key && <><dt>Business key</dt><dd>{r.business_key}</dd></>}
        <dt>Progress</dt><dd>{r.progress ?? 0}%</dd>
        <dt>Started</dt><dd>{when(r.started_at)}</dd>
        {r.completed_at && <><dt>Finished</dt><dd>{when(r.completed_at)}</dd></>}
        {r.error_details && <><dt>Error</dt><dd className="error-text">{r.error_details}</dd></>}
      </dl>
      <div className="actions">
        {["pending", "running"].includes(r.status) && <button type="button" onClick={() => void control("pause")}>Pause</button>}
        {r.status === "paused" && <button type="button" onClick={() => void control("resume")}>Resume</button>}
        {r.status === "failed" && (
          <button type="button" onClick={() => void control("retry")}>Retry from the failed step</button>
        )}
        {!FINISHED.includes(r.status) && <button type="button" className="danger" onClick={() => void control("cancel")}>Cancel run</button>}
      </div>
      <ErrorBox error={action.error ?? wf.error} />
      <Notice text={notice} />
      <ul className="legend" aria-label="Colours">
        {LEGEND.map(([k, v]) => <li key={k}><span className={`swatch state-${k}`} />{v}</li>)}
      </ul>
      <div className="canvas" aria-label="Run graph">
        {wf.value && (
          <ReactFlow nodes={flow.nodes} edges={flow.edges} nodeTypes={nodeTypes} fitView
            fitViewOptions={{ padding: 0.2, maxZoom: 1.1 }} minZoom={0.1}
            nodesDraggable={false} nodesConnectable={false} elementsSelectable={false}
            proOptions={{ hideAttribution: true }}>
            <Background />
            <Controls showInteractive={false} />
          </ReactFlow>
        )}
      </div>
      <h2>Steps</h2>
      <div className="table-wrap">
        <table>
          <thead><tr><th>Node</th><th>Type</th><th>Status</th><th>Started</th><th>Finished</th><th>Error</th></tr></thead>
          <tbody>
            {(r.steps ?? []).map((s) => (
              <tr key={s.id} data-step-node={s.node_id}>
                <td>{s.node_id}</td><td>{s.step_type}</td><td>{s.status}</td>
                <td>{when(s.started_at)}</td><td>{when(s.completed_at)}</td><td>{s.error_message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
