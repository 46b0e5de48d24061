"""Idempotent retries through the API: a client that lost the answer to a task
action or a run start sends it again with the same Idempotency-Key and gets the
first answer, not a 409; the same key with other arguments is a 422; two
copies of one request racing each other act once."""

from __future__ import annotations

import threading

from api_helpers import Api, Response, api_fixture  # noqa: F401  (the api fixture)
from test_api_workflows import deployed, pending_approvals


def key(value: str) -> dict[str, str]:
    return {"Idempotency-Key": value}


def history(api: Api, task_id: str) -> list[str]:
    return [r[0] for r in api.sql("SELECT action_type FROM flowable.task_history"
                                  " WHERE task_id = %s ORDER BY history_id", (task_id,))]


def test_a_retried_claim_and_completion_return_the_first_answer(api: Api) -> None:
    first = api.post("/tasks/demo-task-1/claim", "alice", headers=key("claim-1"))
    assert first.status == 200, first.body
    again = api.post("/tasks/demo-task-1/claim", "alice", headers=key("claim-1"))
    assert again.status == 200, again.body
    assert again.body == first.body
    assert api.post("/tasks/demo-task-1/claim", "alice").status == 409  # no key: as before

    body = {"outcome": "accepted", "form_data": {"risk": "low"}}
    done = api.post("/tasks/demo-task-1/complete", "alice", body=body, headers=key("done-1"))
    assert done.status == 200, done.body
    retried = api.post("/tasks/demo-task-1/complete", "alice", body=body, headers=key("done-1"))
    assert retried.status == 200, retried.body
    assert (retried.body["status"], retried.body["completed_by"]) == ("COMPLETED", "alice")
    assert retried.body == done.body
    assert history(api, "demo-task-1") == ["CREATE", "CLAIM", "COMPLETE"]


def test_a_retried_claim_next_returns_the_same_task(api: Api) -> None:
    body = {"queues": ["intake"]}
    first = api.post("/tasks/claim-next", "alice", body=body, headers=key("next-1"))
    assert first.status == 200 and first.body["task"], first.body
    again = api.post("/tasks/claim-next", "alice", body=body, headers=key("next-1"))
    assert again.body == first.body
    claimed = api.sql("SELECT count(*) FROM flowable.workflow_tasks WHERE assignee_id = 'alice'")
    assert claimed == [(1,)]


def test_the_same_key_with_other_arguments_is_a_422(api: Api) -> None:
    assert api.post("/tasks/demo-task-1/claim", "alice", headers=key("k")).status == 200
    other = api.post("/tasks/demo-task-2/claim", "alice", headers=key("k"))
    assert other.status == 422, other.body
    assert other.body["error"]["code"] == "PW422"
    assert "idempotency key k" in other.body["error"]["message"]
    assert api.sql("SELECT status FROM flowable.workflow_tasks WHERE task_id = 'demo-task-2'") == [("OPEN",)]
    # another person's key of the same name is theirs
    assert api.post("/tasks/demo-task-2/claim", "carol", headers=key("k")).status == 200


def test_a_bad_key_is_a_400(api: Api) -> None:
    resp = api.post("/tasks/demo-task-1/claim", "alice", headers=key("x" * 256))
    assert resp.status == 400, resp.body
    assert resp.body["error"]["code"] == "PW400"
    assert "Idempotency-Key" in resp.body["error"]["message"]


def test_two_copies_of_one_completion_racing_complete_once(api: Api) -> None:
    assert api.post("/tasks/demo-task-1/claim", "alice").status == 200
    answers: list[Response] = []
    barrier = threading.Barrier(2)

    def send() -> None:
        barrier.wait()
        answers.append(api.post("/tasks/demo-task-1/complete", "alice",
                                body={"outcome": "accepted"}, headers=key("race")))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status for a in answers] == [200, 200], [a.body for a in answers]
    assert answers[0].body == answers[1].body
    assert history(api, "demo-task-1") == ["CREATE", "CLAIM", "COMPLETE"]


def test_a_retried_run_start_and_approval_act_once(api: Api) -> None:
    wid = deployed(api)
    body = {"input": {"change": "CHG-9"}}
    first = api.post(f"/workflows/{wid}/runs", "alice", body=body, headers=key("start-9"))
    assert first.status == 200, first.body
    again = api.post(f"/workflows/{wid}/runs", "alice", body=body, headers=key("start-9"))
    assert again.body == first.body
    assert api.sql("SELECT count(*) FROM automation.workflow_instances WHERE workflow_id = %s",
                   (wid,)) == [(1,)]
    changed = api.post(f"/workflows/{wid}/runs", "alice", body={"input": {"change": "CHG-10"}},
                       headers=key("start-9"))
    assert changed.status == 422, changed.body

    approval = pending_approvals(api, "erin")[0]["id"]
    ok = api.post(f"/approvals/{approval}/approve", "erin", body={"comment": "fine"}, headers=key("ap"))
    assert ok.status == 200, ok.body
    retried = api.post(f"/approvals/{approval}/approve", "erin", body={"comment": "fine"}, headers=key("ap"))
    assert retried.status == 200, retried.body
    assert api.post(f"/approvals/{approval}/approve", "erin", body={"comment": "fine"}).status == 409
    assert api.get(f"/runs/{first.body['run_id']}", "alice").body["status"] == "completed"


def test_a_retried_process_start_starts_one_instance(api: Api) -> None:
    body = {"business_key": "CASE-8001", "case_id": 8001}
    first = api.post("/processes/OneCMS_Nextgen_WF/start", "alice", body=body, headers=key("p-1"))
    assert first.status == 200, first.body
    again = api.post("/processes/OneCMS_Nextgen_WF/start", "alice", body=body, headers=key("p-1"))
    assert again.status == 200, again.body
    assert again.body == first.body
    assert api.sql("SELECT count(*) FROM flowable.process_instances WHERE business_key = 'CASE-8001'") == [(1,)]
