import { useState } from "react";
import { get, post, qs, type Approval, type Page } from "../api";
import { Empty, ErrorBox, Notice, useAction, useLoad, when } from "../common";

const STATUSES = ["pending", "approved", "rejected", "expired"];

export function Approvals() {
  const [status, setStatus] = useState("pending");
  const list = useLoad(() => get<Page<Approval>>("/approvals" + qs({ status, limit: 500 })), [status]);
  const items = list.value?.items ?? [];
  return (
    <section aria-labelledby="approvals-h">
      <h1 id="approvals-h">Approvals</h1>
      <div className="row card">
        <label htmlFor="approval-status">Status</label>
        <select id="approval-status" value={status} onChange={(e) => setStatus(e.target.value)}>
          {STATUSES.map((s) => <option key={s}>{s}</option>)}
        </select>
        <button type="button" onClick={() => void list.reload()}>Refresh</button>
      </div>
      <ErrorBox error={list.error} />
      {items.length === 0 && !list.loading && <Empty text={`No ${status} approvals for your roles.`} />}
      <ul className="cards">
        {items.map((a) => <ApprovalCard key={a.id} a={a} />)}
      </ul>
    </section>
  );
}

function ApprovalCard({ a }: { a: Approval }) {
  const [comment, setComment] = useState("");
  const [decided, setDecided] = useState(false);
  const action = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const decide = async (verb: "approve" | "reject") => {
    const body = verb === "approve" ? { comment: comment || undefined } : { reason: comment || undefined };
    const res = await action.run(() => post(`/approvals/${a.id}/${verb}`, body));
    if (res !== undefined) {
      setNotice(verb === "approve" ? "Approved." : "Rejected.");
      setDecided(true);
    }
  };
  const id = `approval-comment-${a.id}`;
  return (
    <li className="card approval" data-approval-id={a.id}>
      <p className="message">{a.approval_message ?? "(no message)"}</p>
      <dl className="facts">
        <dt>Role</dt><dd>{a.approver_role}</dd>
        <dt>Requested</dt><dd>{when(a.requested_at)}</dd>
        <dt>Expires</dt><dd>{when(a.expires_at) || "never"}</dd>
        <dt>Status</dt><dd>{a.status}</dd>
        {a.rejection_reason && <><dt>Reason</dt><dd>{a.rejection_reason}</dd></>}
        {a.instance_id && <><dt>Run</dt><dd><a href={`#/runs/${a.instance_id}`}>{decided ? "Open the run" : a.instance_id.slice(0, 8)}</a></dd></>}
      </dl>
      {a.status === "pending" && !decided && (
        <div className="stack">
          <label htmlFor={id}>Comment</label>
          <textarea id={id} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
          <div className="actions">
            <button type="button" disabled={action.busy} onClick={() => void decide("approve")}>Approve</button>
            <button type="button" className="danger" disabled={action.busy} onClick={() => void decide("reject")}>Reject</button>
          </div>
        </div>
      )}
      <ErrorBox error={action.error} />
      <Notice text={notice} />
    </li>
  );
}
