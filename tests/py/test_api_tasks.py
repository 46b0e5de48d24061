"""The task life cycle through the API, as three people of the demo: alice
(intake analyst), bob (legal reviewer) and carol (intake supervisor).  The
database decides every refusal; the API only carries it."""

from __future__ import annotations

from api_helpers import Api, api_fixture  # noqa: F401  (the api fixture)


def status_of(api: Api, task_id: str) -> tuple[str, str | None]:
    return api.sql("SELECT status, assignee_id FROM flowable.workflow_tasks WHERE task_id = %s",
                   (task_id,))[0]


def test_claim_then_complete_records_history(api: Api) -> None:
    resp = api.post("/tasks/demo-task-1/claim", "alice")
    assert resp.status == 200, resp.body
    assert (resp.body["status"], resp.body["assignee_id"]) == ("CLAIMED", "alice")
    resp = api.post("/tasks/demo-task-1/complete", "alice",
                    body={"outcome": "accepted", "form_data": {"risk": "low"}})
    assert resp.status == 200, resp.body
    assert resp.body["status"] == "COMPLETED"
    assert resp.body["form_data"] == {"risk": "low"}
    def listed(query: str) -> bool:
        return "demo-task-1" in [t["task_id"] for t in api.get("/tasks" + query, "alice").body["items"]]

    assert not listed("")  # the inbox shows unfinished work
    assert listed("?status=ALL") and listed("?status=COMPLETED")
    history = api.get("/tasks/demo-task-1/history", "alice")
    assert history.status == 200
    assert [h["action_type"] for h in history.body["items"]] == ["CREATE", "CLAIM", "COMPLETE"]


def test_another_person_cannot_claim_complete_or_see_my_task(api: Api) -> None:
    assert api.post("/tasks/demo-task-1/claim", "alice").status == 200
    for path in ("/tasks/demo-task-1/claim", "/tasks/demo-task-1/complete",
                 "/tasks/demo-task-1/unclaim"):
        resp = api.post(path, "bob")
        assert resp.status in (403, 404), (path, resp.body)
        assert resp.body["error"]["code"] in ("PW403", "PW404")
    assert api.get("/tasks/demo-task-1", "bob").status == 404
    assert api.get("/tasks/demo-task-1/history", "bob").body["items"] == []
    assert status_of(api, "demo-task-1") == ("CLAIMED", "alice")


def test_claiming_a_claimed_task_is_an_illegal_transition(api: Api) -> None:
    assert api.post("/tasks/demo-task-1/claim", "alice").status == 200
    resp = api.post("/tasks/demo-task-1/claim", "carol")
    assert resp.status == 409, resp.body
    assert resp.body["error"]["code"] == "PW409"
    assert status_of(api, "demo-task-1") == ("CLAIMED", "alice")


def test_completing_an_open_task_is_refused(api: Api) -> None:
    resp = api.post("/tasks/demo-task-2/complete", "alice")
    assert resp.status in (403, 409), resp.body
    assert status_of(api, "demo-task-2") == ("OPEN", None)


def test_unclaim_gives_the_task_back(api: Api) -> None:
    assert api.post("/tasks/demo-task-2/claim", "alice").status == 200
    resp = api.post("/tasks/demo-task-2/unclaim", "alice", body={"comment": "not mine"})
    assert resp.status == 200, resp.body
    assert status_of(api, "demo-task-2") == ("OPEN", None)


def test_the_supervisor_reassigns_and_an_analyst_may_not(api: Api) -> None:
    resp = api.post("/tasks/demo-task-2/reassign", "alice", body={"assignee_id": "carol"})
    assert resp.status == 403, resp.body
    resp = api.post("/tasks/demo-task-2/reassign", "carol",
                    body={"assignee_id": "alice", "comment": "you know this customer"})
    assert resp.status == 200, resp.body
    assert resp.body["assignee_id"] == "alice"
    assert status_of(api, "demo-task-2")[1] == "alice"


def test_delegate_and_resolve(api: Api) -> None:
    assert api.post("/tasks/demo-task-1/claim", "alice").status == 200
    resp = api.post("/tasks/demo-task-1/delegate", "alice", body={"delegate_id": "carol"})
    assert resp.status == 200, resp.body
    assert (resp.body["status"], resp.body["assignee_id"]) == ("DELEGATED", "carol")
    resp = api.post("/tasks/demo-task-1/resolve", "carol", body={"comment": "checked"})
    assert resp.status == 200, resp.body
    assert resp.body["assignee_id"] == "alice"


def test_comment_and_field_checks(api: Api) -> None:
    resp = api.post("/tasks/demo-task-3/comments", "bob", body={"comment": "looking"})
    assert resp.status == 200, resp.body
    assert isinstance(resp.body["history_id"], int)
    assert api.post("/tasks/demo-task-3/comments", "bob", body={}).status == 400
    assert api.post("/tasks/demo-task-3/comments", "alice", body={"comment": "x"}).status in (403, 404)
    resp = api.post("/tasks/demo-task-3/complete", "bob", body={"form_data": [1]})
    assert resp.status == 400


def test_an_unknown_task_is_404(api: Api) -> None:
    resp = api.post("/tasks/no-such-task/claim", "alice")
    assert resp.status == 404, resp.body
    assert resp.body["error"]["code"] == "PW404"
