"""Print docs/bpmn.md's table of the BPMN corpus: what flowable.bpmn_check says of each file.

    .venv/bin/python scripts/bpmn-corpus-table.py DATABASE_URL [CORPUS_DIR] [DEFAULT_QUEUE]

DATABASE_URL is a migrated pgwf database with a queue named DEFAULT_QUEUE (default ``intake``,
which ``pgwf demo load`` makes); CORPUS_DIR defaults to ../shared/bpmn-corpus. The check
stores nothing; the script adds a workflow_admin ``corpus_admin`` to act as.
"""

from __future__ import annotations

import sys
from pathlib import Path

import psycopg


def main() -> None:
    url = sys.argv[1]
    root = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parents[2] / "shared" / "bpmn-corpus"
    queue = sys.argv[3] if len(sys.argv) > 3 else "intake"
    files = [p for d in (root, root / "events-and-scopes") if d.is_dir()
             for p in sorted(d.iterdir()) if p.is_file() and p.suffix in (".bpmn", ".xml")]
    rows: list[tuple[str, str, str, str]] = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO entitlements.users (user_id, username) VALUES ('corpus_admin', 'corpus_admin')"
                     " ON CONFLICT DO NOTHING")
        conn.execute("INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type)"
                     " VALUES ('workflow_admin', 'Workflow administrator', 'SYSTEM') ON CONFLICT (role_code) DO NOTHING")
        conn.execute("INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by, valid_from)"
                     " SELECT 'corpus_admin', role_id, 'corpus', now() - interval '1 day' FROM entitlements.workflow_roles"
                     " WHERE role_code = 'workflow_admin' ON CONFLICT (user_id, role_id) DO NOTHING")
        conn.execute("SELECT set_config('app.current_user_id', 'corpus_admin', false)")
        for f in files:
            name = f.relative_to(root).as_posix()
            try:
                checked = conn.execute("SELECT flowable.bpmn_check(%s, %s)",
                                       (f.read_text(encoding="utf-8"), queue)).fetchone()
            except psycopg.Error as exc:
                why = (exc.diag.message_primary or "").split("refused: ", 1)[-1]
                rows.append((name, "refused", "—", why))
                continue
            processes = (checked[0] if checked else {}).get("processes") or []
            refused = [x for p in processes for x in (p.get("refused") or [])]
            ignored = sum(len(p.get("ignored") or []) for p in processes)
            if refused:
                rows.append((name, "refused", "—", "; ".join(refused)))
            else:
                rows.append((name, f"deploys ({len(processes)} process{'es' if len(processes) != 1 else ''})",
                             str(ignored), ""))
    print(f"{sum(r[1].startswith('deploys') for r in rows)} of {len(rows)} files deploy.\n")
    print("| file | result | ignored elements | why refused |")
    print("| --- | --- | --- | --- |")
    for name, result, ignored, why in rows:
        why = why.replace("|", "/")
        print(f"| `{name}` | {result} | {ignored} | {why[:220] + ('...' if len(why) > 220 else '')} |")


if __name__ == "__main__":
    main()
