import { useState, type FormEvent } from "react";
import { ApiError, detailLines, get, post, qs, type HistoryRow, type Me, type Page, type Task } from "../api";
import { Empty, ErrorBox, Notice, useAction, useLoad, when } from "../common";
import { fieldProblems, FormFields, formOf, formValues, initialInput, type FormInput } from "../forms";
import { go } from "../nav";

function slaState(t: Task): string {
  if (t.status === "ESCALATED") return `escalated${t.escalation_level ? ` (level ${t.escalation_level})` : ""}`;
  if (!t.due_date) return "no due date";
  return new Date(t.due_date).getTime() < Date.now() ? "overdue" : "on time";
}

function TaskTable({ tasks, caption, selected }: { tasks: Task[]; caption: string; selected?: string }) {
  if (!tasks.length) return <Empty text={`${caption}: none.`} />;
  return (
    <div className="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr><th>Task</th><th>Queue</th><th>Status</th><th>Priority</th><th>Due</th><th>SLA</th></tr>
        </thead>
        <tbody>
          {tasks.map((t) => (
            <tr key={t.task_id} className={t.task_id === selected ? "current" : undefined}>
              <td><a href={`#/inbox/${encodeURIComponent(t.task_id)}`}>{t.task_name ?? t.task_id}</a></td>
              <td>{t.queue_name}</td>
              <td>{t.status}</td>
              <td>{t.priority}</td>
              <td>{when(t.due_date)}</td>
              <td className={`sla sla-${slaState(t).split(" ")[0].replace(/\W/g, "")}`}>{slaState(t)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Inbox({ me, taskId }: { me: Me; taskId?: string }) {
  const tasks = useLoad(() => get<Page<Task>>("/tasks" + qs({ limit: 500 })), []);
  const [queues, setQueues] = useState<string[]>([]);
  const action = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const all = tasks.value?.items ?? [];
  const mine = all.filter((t) => t.assignee_id === me.user_id);
  const others = all.filter((t) => t.assignee_id !== me.user_id);
  const visibleQueues = me.queues ?? [];

  const claimNext = async (ev: FormEvent) => {
    ev.preventDefault();
    setNotice(null);
    const res = await action.run(() =>
      post<{ task: Task | null }>("/tasks/claim-next", { queues: queues.length ? queues : visibleQueues }));
    if (res === undefined) return;
    if (res.task) {
      setNotice(`Claimed ${res.task.task_name ?? res.task.task_id}`);
      go("inbox", res.task.task_id);
    } else setNotice("Nothing to claim in those queues.");
    await tasks.reload();
  };

  return (
    <div className="split">
      <section aria-labelledby="inbox-h">
        <h1 id="inbox-h">Inbox</h1>
        <form className="card row" onSubmit={claimNext} aria-label="Claim next">
          <fieldset>
            <legend>Queues I may claim from</legend>
            {visibleQueues.length === 0 && <span>none</span>}
            {visibleQueues.map((q) => (
              <label key={q} className="check">
                <input type="checkbox" checked={queues.includes(q)}
                  onChange={(e) => setQueues(e.target.checked ? [...queues, q] : queues.filter((x) => x !== q))} />
                {q}
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={action.busy}>Claim next</button>
          <button type="button" onClick={() => void tasks.reload()}>Refresh</button>
        </form>
        <ErrorBox error={action.error ?? tasks.error} />
        <Notice text={notice} />
        <TaskTable tasks={mine} caption="My tasks" selected={taskId} />
        <TaskTable tasks={others} caption="In my queues and offered to me" selected={taskId} />
      </section>
      {taskId && <TaskDetail key={taskId} me={me} taskId={taskId} onChanged={() => void tasks.reload()} />}
    </div>
  );
}

type Field = { name: string; value: string };

function parseValue(v: string): unknown {
  const t = v.trim();
  if (t === "true") return true;
  if (t === "false") return false;
  if (t !== "" && !Number.isNaN(Number(t))) return Number(t);
  return v;
}

function TaskDetail({ me, taskId, onChanged }: { me: Me; taskId: string; onChanged: () => void }) {
  const task = useLoad(() => get<Task>(`/tasks/${encodeURIComponent(taskId)}`), [taskId]);
  const history = useLoad(
    () => get<Page<HistoryRow>>(`/tasks/${encodeURIComponent(taskId)}/history${qs({ limit: 500 })}`), [taskId]);
  const action = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const [outcome, setOutcome] = useState("");
  const [reason, setReason] = useState("");
  const [fields, setFields] = useState<Field[]>([{ name: "", value: "" }]);
  const [delegateTo, setDelegateTo] = useState("");
  const [comment, setComment] = useState("");
  const [reassignTo, setReassignTo] = useState("");
  const [reassignQueue, setReassignQueue] = useState("");
  const [cancelReason, setCancelReason] = useState("");
  const [input, setInput] = useState<FormInput | null>(null);
  // fields changed since the last refusal: their pinned problem is no longer shown
  const [touched, setTouched] = useState<string[]>([]);

  const t = task.value;
  const form = formOf(t);
  const formInput = input ?? (form ? initialInput(form, t?.form_data ?? null) : {});
  const path = `/tasks/${encodeURIComponent(taskId)}`;
  const act = async (what: string, fn: () => Promise<unknown>) => {
    setNotice(null);
    setTouched([]);
    const res = await action.run(fn);
    if (res !== undefined) {
      setNotice(what);
      await Promise.all([task.reload(), history.reload()]);
      onChanged();
    }
    return res;
  };
  // the task's own form when it has one, else the free name/value fields
  const formData = () => form ? formValues(form, formInput) : Object.fromEntries(
    fields.filter((f) => f.name.trim()).map((f) => [f.name.trim(), parseValue(f.value)]));
  const problems = form && action.error instanceof ApiError
    ? fieldProblems(form, detailLines(action.error.detail)) : undefined;
  for (const name of touched) problems?.delete(name);
  const changeInput = (next: FormInput) => {
    setTouched([...touched, ...Object.keys(next).filter((k) => next[k] !== formInput[k] && !touched.includes(k))]);
    setInput(next);
  };

  if (task.error) return <section className="card detail"><ErrorBox error={task.error} /></section>;
  if (!t) return <section className="card detail"><p>Loading…</p></section>;
  const open = ["OPEN", "CLAIMED", "DELEGATED", "ESCALATED"].includes(t.status);
  const held = t.assignee_id === me.user_id;
  return (
    <section className="card detail" aria-labelledby="task-h">
      <h2 id="task-h">{t.task_name ?? t.task_id}</h2>
      <dl className="facts">
        <dt>Status</dt><dd data-testid="task-status">{t.status}</dd>
        <dt>Queue</dt><dd>{t.queue_name}</dd>
        <dt>Assignee</dt><dd>{t.assignee_id ?? "nobody"}</dd>
        <dt>Priority</dt><dd>{t.priority}</dd>
        <dt>Due</dt><dd>{when(t.due_date) || "no due date"} ({slaState(t)})</dd>
        {t.form_key && <><dt>Form</dt><dd>{t.form_key}</dd></>}
        {t.outcome && <><dt>Outcome</dt><dd>{t.outcome}</dd></>}
      </dl>
      {t.task_data && Object.keys(t.task_data).length > 0 && (
        <details>
          <summary>Task data</summary>
          <pre>{JSON.stringify(t.task_data, null, 2)}</pre>
        </details>
      )}
      <ErrorBox error={action.error} />
      <Notice text={notice} />
      {open && (
        <div className="actions">
          {!held && <button type="button" onClick={() => act("Claimed", () => post(`${path}/claim`))}>Claim</button>}
          {held && <button type="button" onClick={() => act("Given back", () => post(`${path}/unclaim`, {}))}>Unclaim</button>}
        </div>
      )}
      {open && (
        <form className="stack" aria-label="Complete task" onSubmit={(e) => {
          e.preventDefault();
          void act("Completed", () => post(`${path}/complete`, {
            outcome: outcome || undefined, outcome_reason: reason || undefined, form_data: formData(),
          }));
        }}>
          <h3>Complete</h3>
          <label htmlFor="outcome">Outcome</label>
          <input id="outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)} />
          <label htmlFor="outcome-reason">Reason</label>
          <input id="outcome-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          {form && (
            <fieldset className="task-form" aria-label={`Form ${t.form_key ?? ""}`.trim()}>
              <legend>Form{t.form_key ? ` ${t.form_key}` : ""}</legend>
              {form.length === 0 && <span>no fields</span>}
              <FormFields fields={form} input={formInput} onChange={changeInput} problems={problems} />
            </fieldset>
          )}
          {!form && <fieldset>
            <legend>Form data</legend>
            {fields.map((f, i) => (
              <div className="row" key={i}>
                <input aria-label={`Field ${i + 1} name`} placeholder="name" value={f.name}
                  onChange={(e) => setFields(fields.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} />
                <input aria-label={`Field ${i + 1} value`} placeholder="value" value={f.value}
                  onChange={(e) => setFields(fields.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} />
              </div>
            ))}
            <button type="button" onClick={() => setFields([...fields, { name: "", value: "" }])}>Add field</button>
          </fieldset>}
          <button type="submit" disabled={action.busy}>Complete</button>
        </form>
      )}
      {open && (
        <form className="row" aria-label="Delegate task" onSubmit={(e) => {
          e.preventDefault();
          void act(`Delegated to ${delegateTo}`, () => post(`${path}/delegate`, { delegate_id: delegateTo }));
        }}>
          <label htmlFor="delegate-to">Delegate to (user id)</label>
          <input id="delegate-to" value={delegateTo} onChange={(e) => setDelegateTo(e.target.value)} />
          <button type="submit" disabled={!delegateTo.trim()}>Delegate</button>
        </form>
      )}
      {t.status === "DELEGATED" && (
        <div className="actions">
          <button type="button" onClick={() => act("Handed back", () => post(`${path}/resolve`, { form_data: formData() }))}>
            Resolve (hand back)
          </button>
        </div>
      )}
      {open && (
        <details className="supervisor">
          <summary>Supervisor: reassign or cancel</summary>
          <form className="stack" aria-label="Reassign task" onSubmit={(e) => {
            e.preventDefault();
            void act("Reassigned", () => post(`${path}/reassign`, {
              assignee_id: reassignTo || undefined, queue_name: reassignQueue || undefined,
            }));
          }}>
            <label htmlFor="reassign-to">Give to (user id)</label>
            <input id="reassign-to" value={reassignTo} onChange={(e) => setReassignTo(e.target.value)} />
            <label htmlFor="reassign-queue">Or move to queue</label>
            <input id="reassign-queue" value={reassignQueue} onChange={(e) => setReassignQueue(e.target.value)} />
            <button type="submit" disabled={!reassignTo.trim() && !reassignQueue.trim()}>Reassign</button>
          </form>
          <form className="stack" aria-label="Cancel task" onSubmit={(e) => {
            e.preventDefault();
            void act("Cancelled", () => post(`${path}/cancel`, { reason: cancelReason || undefined }));
          }}>
            <label htmlFor="cancel-reason">Reason for cancelling</label>
            <input id="cancel-reason" value={cancelReason} onChange={(e) => setCancelReason(e.target.value)} />
            <button type="submit" className="danger">Cancel task</button>
          </form>
        </details>
      )}
      <form className="stack" aria-label="Add a comment" onSubmit={(e) => {
        e.preventDefault();
        void act("Comment added", () => post(`${path}/comments`, { comment })).then((r) => { if (r !== undefined) setComment(""); });
      }}>
        <label htmlFor="comment">Comment</label>
        <textarea id="comment" value={comment} onChange={(e) => setComment(e.target.value)} rows={2} />
        <button type="submit" disabled={!comment.trim()}>Add comment</button>
      </form>
      <h3>History</h3>
      <ErrorBox error={history.error} />
      <ol className="history" aria-label="Task history">
        {(history.value?.items ?? []).map((h) => (
          <li key={h.history_id}>
            <span className="when">{when(h.action_at)}</span> <strong>{h.action_type}</strong>
            {h.action_by ? ` by ${h.action_by}` : ""}
            {h.new_status && h.new_status !== h.old_status ? ` → ${h.new_status}` : ""}
            {h.comments ? <q>{h.comments}</q> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
