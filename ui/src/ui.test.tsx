// Component and unit tests (Vitest, no browser): what the pages build on.
import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { ApiError, detailLines, refusalItems, type Step } from "./api";
import { ErrorBox } from "./common";
import { fromFlow, namedElements, stepState, toFlow } from "./flow";

const step = (step_type: string, status: string, error_message: string | null = null): Step => ({
  id: "s", node_id: "n", step_type, status, started_at: null, completed_at: null, error_message,
  retry_count: 0,
});

describe("stepState", () => {
  it("says who a run waits for", () => {
    expect(stepState(step("task", "running")).state).toBe("person");
    expect(stepState(step("approval", "waiting_approval")).state).toBe("person");
    expect(stepState(step("action", "pending"))).toEqual({ state: "worker", text: "waiting for a worker" });
    expect(stepState(step("integration", "running")).state).toBe("worker");
    expect(stepState(step("condition", "completed")).state).toBe("done");
    expect(stepState(step("action", "failed", "HTTP 500"))).toEqual({ state: "failed", text: "failed: HTTP 500" });
    expect(stepState(step("end", "skipped")).state).toBe("skipped");
    expect(stepState(undefined)).toEqual({ state: "", text: "" });
  });
});

describe("namedElements", () => {
  it("finds the ids an error message names, whole words only", () => {
    const ids = ["end_1", "end", "e1", "check"];
    expect(namedElements("node end_1 cannot be reached from any trigger node", ids)).toEqual(["end_1"]);
    expect(namedElements("edge e1 leaves end node check; an end node has no outgoing edges", ids))
      .toEqual(["e1", "check"]);
    expect(namedElements("the workflow has no trigger node", ids)).toEqual([]);
  });
});

describe("toFlow and fromFlow", () => {
  it("keep the workflow's own JSON and drop the UI's display keys", () => {
    const wd = {
      nodes: [
        { id: "a", type: "trigger", position: { x: 10.4, y: 20 }, data: { label: "A", triggerType: "manual" } },
        { id: "b", type: "condition", position: { x: 200, y: 0 }, data: { condition: { field: "x", operator: "exists" } } },
      ],
      edges: [{ id: "e", source: "a", target: "b", data: { conditions: [{ field: "y", operator: "exists" }] } }],
      viewport: { x: 0, y: 0, zoom: 1 },
    };
    const f = toFlow(wd);
    f.nodes[0].data.__state = "done";
    f.nodes[0].data.__error = "bad";
    const back = fromFlow(f.nodes, f.edges);
    expect(back.nodes[0]).toEqual({ id: "a", type: "trigger", position: { x: 10, y: 20 }, data: { label: "A", triggerType: "manual" } });
    expect(back.nodes[1].data).toEqual({ condition: { field: "x", operator: "exists" } });
    expect(back.edges).toEqual([{ id: "e", source: "a", target: "b", type: "smoothstep", data: { conditions: [{ field: "y", operator: "exists" }] } }]);
  });
});

describe("errors", () => {
  it("shows an API refusal as code, message and detail lines", () => {
    const html = renderToStaticMarkup(
      <ErrorBox error={new ApiError(409, "PW409", "claim_task: task t1 is CLAIMED", { detail: "held by bob", hint: "try another" })} />);
    expect(html).toContain('role="alert"');
    expect(html).toContain("<strong>PW409</strong> claim_task: task t1 is CLAIMED");
    expect(html).toContain("<li>held by bob</li><li>try another</li>");
    expect(renderToStaticMarkup(<ErrorBox error={null} />)).toBe("");
  });

  it("reads a BPMN refusal element by element", () => {
    const detail = {
      detail: "unsupported elements: runScript:scriptTask[script], other:scriptTask[script]\n" +
        "review: the camunda:taskListener extension is not supported",
      hint: "see docs/bpmn.md",
    };
    expect(detailLines(detail)).toHaveLength(3);
    expect(refusalItems(detail)).toEqual([
      { id: "runScript", text: "unsupported scriptTask[script]" },
      { id: "other", text: "unsupported scriptTask[script]" },
      { id: "review", text: "the camunda:taskListener extension is not supported" },
      { id: null, text: "see docs/bpmn.md" },
    ]);
  });
});
