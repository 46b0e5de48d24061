// Drawing a workflow: React Flow with one node component for pgwf's node types.
// The graph is the workflow's own React Flow JSON (positions included); the UI adds
// only display keys prefixed "__" (a run's step state, a validation error), which
// are stripped before anything is sent back.
import { Handle, Position, type Edge, type Node, type NodeProps } from "@xyflow/react";
import type { FlowEdge, FlowNode, Step, WorkflowData } from "./api";

export const NODE_TYPES = [
  "trigger", "action", "integration", "condition", "approval", "notification", "task",
  "gateway", "end",
] as const;

/** The outcome handles a node type's outgoing edges must leave by (docs/graph-model.md). */
export const OUT_HANDLES: Record<string, string[]> = {
  condition: ["true", "false"],
  approval: ["approved", "rejected", "expired"],
};

export type NodeData = Record<string, unknown> & {
  label?: string;
  __state?: string;
  __stateText?: string;
  __error?: string;
};

export type PNode = Node<NodeData>;

function PgwfNode({ id, type, data, selected }: NodeProps<PNode>) {
  const handles = OUT_HANDLES[type] ?? [];
  const label = typeof data.label === "string" && data.label ? data.label : id;
  const cls = [
    "pnode", `pnode-${type}`, data.__state ? `state-${data.__state}` : "",
    data.__error ? "has-error" : "", selected ? "selected" : "",
  ].join(" ");
  return (
    <div className={cls} data-node-id={id} data-state={data.__state ?? ""}
      title={data.__error ?? data.__stateText ?? undefined}>
      {type !== "trigger" && <Handle type="target" position={Position.Left} />}
      <div className="pnode-type">{type}</div>
      <div className="pnode-label">{label}</div>
      {data.__stateText && <div className="pnode-state">{data.__stateText}</div>}
      {data.__error && <div className="pnode-error" role="alert">{data.__error}</div>}
      {type !== "end" && handles.length === 0 && (
        <Handle type="source" position={Position.Right} />
      )}
      {handles.map((h, i) => (
        <Handle key={h} id={h} type="source" position={Position.Right}
          style={{ top: `${((i + 1) * 100) / (handles.length + 1)}%` }}>
          <span className="handle-label">{h}</span>
        </Handle>
      ))}
    </div>
  );
}

export const nodeTypes = Object.fromEntries(NODE_TYPES.map((t) => [t, PgwfNode]));

export function toFlow(wd: WorkflowData | undefined): { nodes: PNode[]; edges: Edge[] } {
  const nodes = (wd?.nodes ?? []).map(
    (n): PNode => ({
      id: n.id,
      type: n.type,
      position: n.position ?? { x: 0, y: 0 },
      data: { ...(n.data ?? {}) } as NodeData,
    }),
  );
  const edges = (wd?.edges ?? []).map(
    (e): Edge => ({
      id: e.id,
      source: e.source,
      target: e.target,
      sourceHandle: e.sourceHandle ?? null,
      targetHandle: e.targetHandle ?? null,
      type: e.type ?? "smoothstep",
      label: e.label ?? (e.sourceHandle ? e.sourceHandle : undefined),
      data: e.data ? { ...e.data } : undefined,
    }),
  );
  return { nodes, edges };
}

function clean(data: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data ?? {})) if (!k.startsWith("__")) out[k] = v;
  return out;
}

export function fromFlow(nodes: PNode[], edges: Edge[],
  viewport = { x: 0, y: 0, zoom: 1 }): WorkflowData {
  return {
    nodes: nodes.map((n): FlowNode => ({
      id: n.id, type: n.type ?? "action",
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
      data: clean(n.data),
    })),
    edges: edges.map((e): FlowEdge => {
      const out: FlowEdge = { id: e.id, source: e.source, target: e.target, type: e.type ?? "smoothstep" };
      if (e.sourceHandle) out.sourceHandle = e.sourceHandle;
      if (e.targetHandle) out.targetHandle = e.targetHandle;
      const data = clean(e.data as Record<string, unknown> | undefined);
      if (Object.keys(data).length) out.data = data;
      return out;
    }),
    viewport,
  };
}

/** How a step's row reads on its node: the state words of the run page. */
export function stepState(step: Step | undefined): { state: string; text: string } {
  if (!step) return { state: "", text: "" };
  switch (step.status) {
    case "completed":
      return { state: "done", text: "done" };
    case "failed":
      return { state: "failed", text: `failed: ${step.error_message ?? "no message"}` };
    case "skipped":
      return { state: "skipped", text: "skipped" };
    case "waiting_approval":
      return { state: "person", text: "waiting for a person" };
    case "pending":
    case "running":
      if (step.step_type === "task" || step.step_type === "approval")
        return { state: "person", text: "waiting for a person" };
      if (step.step_type === "action" || step.step_type === "integration")
        return { state: "worker", text: step.status === "running" ? "a worker is on it" : "waiting for a worker" };
      return { state: "running", text: "running" };
    default:
      return { state: "running", text: step.status };
  }
}

/** The latest visit of each node (steps come oldest first). */
export function latestSteps(steps: Step[] | undefined): Map<string, Step> {
  const m = new Map<string, Step>();
  for (const s of steps ?? []) m.set(s.node_id, s);
  return m;
}

/** Ids of the graph's nodes and edges that an error message names: the database writes
 * them as "node ID" and "edge ID" (validate_workflow_graph), so "end node x" names x. */
export function namedElements(message: string, ids: string[]): string[] {
  const named = new Set<string>();
  for (const m of message.matchAll(/\b(?:node|edge)\s+(?:id\s+)?([^\s,;:()"']+)/g)) named.add(m[1]);
  return ids.filter((id) => named.has(id));
}
