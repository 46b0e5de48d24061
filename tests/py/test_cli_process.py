"""``pgwf process``: deploy (and --check) a modeler's BPMN export, list, show,
start with variables and a business key, find the run, export, activate, delete;
refusals are one message and exit code 1. The real command against a migrated
database with the demo data, as the demo's workflow administrator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run_pgwf
from pgwf import demo
from pgwf.db import Database
from test_api_processes import INTAKE


@pytest.fixture()
def demo_db(fresh_db: str) -> str:
    demo.load(Database(fresh_db, None, pooled=False))
    return fresh_db


def pgwf(*args: str, url: str, code: int = 0) -> str:
    result = run_pgwf(*args, url=url, env={"PGWF_USER": "alice"})
    assert result.returncode == code, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_check_deploy_list_show_start_and_find_a_run(demo_db: str, tmp_path: Path) -> None:
    path = tmp_path / "intake.bpmn"
    path.write_text(INTAKE, encoding="utf-8")

    checked = pgwf("process", "deploy", str(path), "--check", url=demo_db)
    assert "intakeOrders: would deploy as version 1" in checked
    assert "intakeBilling: would deploy as version 1" in checked
    assert "worker topics: reserve-stock (no connector in pgwf worker: run a worker for it)" in checked
    assert "    clerks:lane in intakeOrders: " in checked
    assert "    intakeCustomer:process in definitions: " in checked
    assert "(no processes)" not in pgwf("process", "list", url=demo_db)  # the demo's own process
    assert "intakeOrders" not in pgwf("process", "list", url=demo_db)    # the check stored nothing

    deployed = pgwf("process", "deploy", str(path), url=demo_db)
    assert "intakeOrders: deployed version 1 (definition " in deployed
    assert "  ignored (" in deployed
    again = pgwf("process", "deploy", str(path), url=demo_db)
    assert "intakeOrders: unchanged: version 1" in again

    listing = {p["key"]: p for p in json.loads(pgwf("process", "list", "--json", url=demo_db))}
    assert (listing["intakeBilling"]["versions"], listing["intakeBilling"]["active"],
            listing["intakeBilling"]["open_instances"]) == (1, 1, 0)

    shown = pgwf("process", "show", "intakeOrders", url=demo_db)
    assert "intakeOrders  Intake orders  version 1 (active)  of 1" in shown
    assert "started by: anyone" in shown
    assert "worker topics: reserve-stock" in shown
    assert "note:textAnnotation in intakeOrders: an annotation of the diagram" in shown
    detail = json.loads(pgwf("process", "show", "intakeOrders", "--version", "1", "--json", url=demo_db))
    assert {(i["kind"], i["id"]) for i in detail["ignored_elements"]} >= {("lane", "clerks"), ("dataStoreReference", "crm")}

    pid = pgwf("process", "start", "intakeBilling", "--var", "amount=120", "--var", "customer=ACME",
               "--business-key", "ORD-7", url=demo_db).strip()
    variables = json.loads(pgwf("run", "show", pid, "--json", url=demo_db))
    assert variables["id"] == pid
    instances = json.loads(pgwf("process", "instances", "intakeBilling", "--json", url=demo_db))
    assert [(i["id"], i["business_key"], i["version"], i["status"]) for i in instances] == [(pid, "ORD-7", 1, "ACTIVE")]
    assert json.loads(pgwf("process", "instances", "intakeBilling", "--business-key", "nope", "--json",
                           url=demo_db)) == []
    runs = json.loads(pgwf("run", "list", "--business-key", "ORD-7", "--json", url=demo_db))
    assert [(r["id"], r["business_key"]) for r in runs] == [(pid, "ORD-7")]

    exported = pgwf("process", "export", "intakeOrders", url=demo_db)
    assert 'id="intakeOrders"' in exported

    path.write_text(INTAKE.replace("Check the order", "Check the order again"), encoding="utf-8")
    assert "intakeOrders: deployed version 2" in pgwf("process", "deploy", str(path), "--no-activate", url=demo_db)
    assert pgwf("process", "activate", "intakeOrders", "2", url=demo_db).strip() == "intakeOrders: version 2 is active"
    assert pgwf("process", "delete", "intakeOrders", "1", url=demo_db).strip() == "intakeOrders: version 1 deleted"
    assert "no version 1" in pgwf("process", "show", "intakeOrders", "--version", "1", url=demo_db, code=1)


def test_refusals_are_one_message_and_exit_1(demo_db: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.bpmn"
    path.write_text(INTAKE.replace('<userTask id="bill" pgwf:queue="intake"/>',
                                   '<userTask id="bill" pgwf:queue="intake"/><complexGateway id="calc"/>'),
                    encoding="utf-8")
    checked = pgwf("process", "deploy", str(path), "--check", url=demo_db, code=1)
    assert "intakeBilling: would be refused" in checked
    assert "  refused: unsupported elements: calc:complexGateway" in checked
    assert "intakeOrders: would deploy as version 1" in checked
    refused = pgwf("process", "deploy", str(path), url=demo_db, code=1)
    assert "pgwf: [PW422] BPMN process intakeBilling refused: unsupported elements: calc:complexGateway" in refused
    assert "intakeOrders" not in pgwf("process", "list", url=demo_db)
    assert "pgwf: [PW404] process nosuch is not deployed" in pgwf("process", "start", "nosuch", url=demo_db, code=1)
    assert "is not NAME=VALUE" in pgwf("process", "start", "intakeBilling", "--var", "oops", url=demo_db, code=2)
    assert "pgwf: process nosuch is not deployed" in pgwf("process", "show", "nosuch", url=demo_db, code=1)
