import { useMemo, useState } from "react";
import { get, qs, type Page, type Queue } from "../api";
import { Empty, ErrorBox, useLoad } from "../common";
import { go } from "../nav";

type Row = Record<string, unknown>;

export function Queues() {
  const queues = useLoad(() => get<Page<Queue>>("/queues" + qs({ limit: 500 })), []);
  const load = useLoad(() => get<Page<Row>>("/reports/active-tasks-by-queue" + qs({ limit: 500 })), []);
  const byQueue = useMemo(() => new Map((load.value?.items ?? []).map((r) => [String(r.queue_name), r])), [load.value]);
  const items = queues.value?.items ?? [];
  return (
    <section aria-labelledby="queues-h">
      <h1 id="queues-h">Queues</h1>
      <ErrorBox error={queues.error ?? load.error} />
      {items.length === 0 && !queues.loading && <Empty text="No queues you may see." />}
      {items.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption>Queues you may see, with their load</caption>
            <thead>
              <tr><th>Queue</th><th>Type</th><th>Load / capacity</th><th>SLA</th><th>Open</th><th>Claimed</th><th>Escalated (SLA breached)</th><th>Active</th></tr>
            </thead>
            <tbody>
              {items.map((q) => {
                const r = byQueue.get(q.queue_name);
                const cap = q.max_capacity ?? 0;
                return (
                  <tr key={q.queue_id}>
                    <td title={q.description ?? undefined}>{q.queue_name}</td>
                    <td>{q.queue_type}</td>
                    <td>
                      <meter min={0} max={cap || 1} value={q.current_load} aria-label={`${q.queue_name} load`} />{" "}
                      {q.current_load}{cap ? ` / ${cap}` : ""}
                    </td>
                    <td>{q.sla_minutes ? `${q.sla_minutes} min` : ""}</td>
                    <td>{String(r?.open_tasks ?? 0)}</td>
                    <td>{String(r?.claimed_tasks ?? 0)}</td>
                    <td className={Number(r?.escalated_tasks ?? 0) > 0 ? "warn" : undefined}>{String(r?.escalated_tasks ?? 0)}</td>
                    <td>{q.is_active ? "yes" : "no"}</td>
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

function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toFixed(2);
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

function numericColumns(rows: Row[]): string[] {
  if (!rows.length) return [];
  return Object.keys(rows[0]).filter((k) => !k.endsWith("_id") && rows.some((r) => typeof r[k] === "number"));
}

function Bars({ rows, label, value }: { rows: Row[]; label: string; value: string }) {
  const max = Math.max(1, ...rows.map((r) => Number(r[value] ?? 0)));
  const h = 22;
  return (
    <svg className="bars" role="img" aria-label={`${value} by ${label}`} viewBox={`0 0 420 ${rows.length * h + 4}`}>
      {rows.map((r, i) => {
        const v = Number(r[value] ?? 0);
        return (
          <g key={i} transform={`translate(0 ${i * h})`}>
            <text x={0} y={15} fontSize={12}>{String(r[label] ?? "").slice(0, 22)}</text>
            <rect x={150} y={3} height={16} width={(v / max) * 220} className="bar" />
            <text x={155 + (v / max) * 220} y={15} fontSize={12}>{cell(v)}</text>
          </g>
        );
      })}
    </svg>
  );
}

export function Reports({ name }: { name?: string }) {
  const list = useLoad(() => get<{ items: { name: string; view: string }[] }>("/reports"), []);
  const current = name ?? list.value?.items[0]?.name;
  const report = useLoad(
    () => (current ? get<Page<Row>>(`/reports/${current}${qs({ limit: 500 })}`) : Promise.resolve(undefined)), [current]);
  const rows = report.value?.items ?? [];
  const columns = rows.length ? Object.keys(rows[0]) : [];
  const numbers = numericColumns(rows);
  const [chosen, setChosen] = useState<string>("");
  const value = numbers.includes(chosen) ? chosen : numbers[0];
  const label = columns.find((c) => !numbers.includes(c) && !c.endsWith("_id")) ?? columns[0];
  return (
    <section aria-labelledby="reports-h">
      <h1 id="reports-h">Reports</h1>
      <div className="row card">
        <label htmlFor="report-name">Report</label>
        <select id="report-name" value={current ?? ""} onChange={(e) => go("reports", e.target.value)}>
          {(list.value?.items ?? []).map((r) => <option key={r.name} value={r.name}>{r.name}</option>)}
        </select>
        {numbers.length > 0 && (
          <>
            <label htmlFor="report-chart">Chart</label>
            <select id="report-chart" value={value} onChange={(e) => setChosen(e.target.value)}>
              {numbers.map((c) => <option key={c}>{c}</option>)}
            </select>
          </>
        )}
      </div>
      <p className="hint">Figures over the rows you may see.</p>
      <ErrorBox error={list.error ?? report.error} />
      {rows.length === 0 && !report.loading && <Empty text="No rows." />}
      {rows.length > 0 && value && label && <Bars rows={rows} label={label} value={value} />}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption>{current}</caption>
            <thead><tr>{columns.map((c) => <th key={c}>{c}</th>)}</tr></thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i}>{columns.map((c) => <td key={c}>{cell(r[c])}</td>)}</tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
