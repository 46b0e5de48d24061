// The one way the UI talks to pgwf: its documented HTTP API, as the signed-in person.
// Every refusal comes back as {"error": {"code", "message", "detail"}} and is thrown as
// an ApiError carrying exactly that, so pages show the database's own words.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail: unknown,
  ) {
    super(message);
  }
}

const TOKEN_KEY = "pgwf.token";

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

export async function call<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
  token: string | null = storedToken(),
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let resp: Response;
  try {
    resp = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "NETWORK", "pgwf cannot be reached; is the server running?", null);
  }
  const text = await resp.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!resp.ok) {
    const err = (data as { error?: { code?: string; message?: string; detail?: unknown } } | null)
      ?.error;
    if (resp.status === 401 && token) onUnauthorized();
    throw new ApiError(
      resp.status,
      err?.code ?? `HTTP${resp.status}`,
      err?.message ?? `${method} ${path} failed with HTTP ${resp.status}`,
      err?.detail ?? null,
    );
  }
  return data as T;
}

export const get = <T = unknown>(path: string) => call<T>("GET", path);
export const post = <T = unknown>(path: string, body: unknown = {}) => call<T>("POST", path, body);

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export function qs(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== "") q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** The detail of an error as lines of text (the BPMN compiler sends one problem a line). */
export function detailLines(detail: unknown): string[] {
  if (detail === null || detail === undefined) return [];
  if (typeof detail === "string") return detail.split("\n").filter((l) => l.trim() !== "");
  if (typeof detail === "object") {
    const d = detail as { detail?: unknown; hint?: unknown };
    const lines = [...detailLines(d.detail ?? null)];
    if (typeof d.hint === "string") lines.push(d.hint);
    if (lines.length) return lines;
    return [JSON.stringify(detail)];
  }
  return [String(detail)];
}

/** A refused BPMN document's problems, each with the element id it starts with (if any).
 * The compiler sends one problem a line ("id: problem") and lists unsupported elements
 * on one line ("unsupported elements: id:kind, id:kind"). */
export function refusalItems(detail: unknown): { id: string | null; text: string }[] {
  return detailLines(detail)
    .flatMap((line) => {
      const m = /^unsupported elements:\s*(.*)$/.exec(line);
      return m ? m[1].split(/,\s*/).map((item) => item.replace(/^([^:\s]+):/, "$1: unsupported ")) : [line];
    })
    .map((line) => {
      const m = /^([^:\s]+):\s*(.*)$/.exec(line);
      return m ? { id: m[1], text: m[2] } : { id: null, text: line };
    });
}

export interface Me {
  user_id: string;
  roles: string[] | null;
  queues: string[] | null;
}

export interface Task {
  task_id: string;
  process_instance_id: string | null;
  task_name: string | null;
  task_type: string | null;
  queue_name: string;
  assignee_id: string | null;
  candidate_groups: string[] | null;
  priority: number;
  status: string;
  form_key: string | null;
  created_at: string | null;
  due_date: string | null;
  escalation_level: number | null;
  task_data: Record<string, unknown> | null;
  form_data: Record<string, unknown> | null;
  outcome: string | null;
}

export interface HistoryRow {
  history_id: number;
  action_type: string;
  action_by: string | null;
  action_at: string;
  old_status: string | null;
  new_status: string | null;
  new_assignee: string | null;
  comments: string | null;
}

export interface Queue {
  queue_id: number;
  queue_name: string;
  queue_type: string | null;
  department_id: number | null;
  description: string | null;
  max_capacity: number | null;
  current_load: number;
  sla_minutes: number | null;
  is_active: boolean;
}

export interface Approval {
  id: string;
  execution_id: string | null;
  approver_role: string;
  status: string;
  requested_at: string | null;
  expires_at: string | null;
  approval_message: string | null;
  rejection_reason: string | null;
  instance_id: string | null;
}

export interface Step {
  id: string;
  node_id: string;
  step_type: string;
  status: string;
  started_at: string | null;
  completed_at: string | null;
  error_message: string | null;
  retry_count: number | null;
}

export interface Run {
  id: string;
  workflow_id: string | null;
  status: string;
  priority: string | null;
  progress: number | null;
  current_step: string | null;
  error_details: string | null;
  triggered_by: string | null;
  started_at: string | null;
  completed_at: string | null;
  created_at: string | null;
  business_key: string | null;
  steps?: Step[];
}

export interface FlowNode {
  id: string;
  type: string;
  position?: { x: number; y: number };
  data?: Record<string, unknown>;
}

export interface FlowEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
  type?: string;
  label?: string;
  data?: Record<string, unknown>;
}

export interface WorkflowData {
  nodes: FlowNode[];
  edges: FlowEdge[];
  viewport?: { x: number; y: number; zoom: number };
}

export interface Workflow {
  id: string;
  workflow_key: string;
  name: string;
  description: string | null;
  category: string | null;
  version: string;
  is_active: boolean;
  created_at: string | null;
  workflow_data?: WorkflowData;
}
