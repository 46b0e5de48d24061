// Task forms (Vitest, no browser): the fields a task's form draws, the JSON they send and
// which field a refusal names. Whether the data fills the form is the database's to say.
import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { fieldProblems, FormFields, formOf, formValues, initialInput, type FormField } from "./forms";

const fields: FormField[] = [
  { name: "amount", label: "Amount", type: "number", required: true },
  { name: "count", type: "integer" },
  { name: "kind", type: "enum", options: ["car", "home"] },
  { name: "paid", label: "Paid", type: "boolean" },
  { name: "on", type: "date" },
  { name: "note", type: "text", description: "for the file" },
  { name: "ref" },
];

describe("formOf", () => {
  it("reads the form from the task's data, or none", () => {
    expect(formOf({ task_data: { form: fields } })).toHaveLength(7);
    expect(formOf({ task_data: { form: [{ name: "a" }, "junk", { label: "no name" }] } })).toEqual([{ name: "a" }]);
    expect(formOf({ task_data: { input: {} } })).toBeNull();
    expect(formOf({ task_data: null })).toBeNull();
  });
});

describe("formValues", () => {
  it("sends each field as a JSON value of its type and leaves empty ones out", () => {
    const input = { amount: "12.5", count: "3", kind: "car", paid: true, on: "2026-12-31", note: "", ref: " r-1 " };
    expect(formValues(fields, input)).toEqual({ amount: 12.5, count: 3, kind: "car", paid: true, on: "2026-12-31", ref: " r-1 " });
    expect(formValues(fields, { paid: false })).toEqual({ paid: false });
  });

  it("starts from what the task holds", () => {
    expect(initialInput(fields, { amount: 7, paid: true })).toEqual(
      { amount: "7", count: "", kind: "", paid: true, on: "", note: "", ref: "" });
  });
});

/** The opening tag of the element with this id, whatever the order of its attributes. */
const tag = (html: string, id: string) => new RegExp(`<[a-z]+ [^>]*id="${id}"[^>]*>`).exec(html)?.[0] ?? "";

describe("FormFields", () => {
  it("draws a labelled control of each field's type", () => {
    const html = renderToStaticMarkup(
      <FormFields fields={fields} input={initialInput(fields, null)} onChange={() => {}} />);
    expect(html).toContain('<label for="form-amount">Amount<span class="required" aria-hidden="true"> *</span></label>');
    for (const attr of ['type="number"', 'step="any"', 'name="amount"', 'aria-required="true"'])
      expect(tag(html, "form-amount")).toContain(attr);
    expect(tag(html, "form-count")).toContain('step="1"');
    expect(tag(html, "form-count")).not.toContain("aria-required");
    expect(tag(html, "form-kind")).toMatch(/^<select /);
    expect(html).toContain('<option value="car">car</option>');
    expect(tag(html, "form-paid")).toContain('type="checkbox"');
    expect(tag(html, "form-on")).toContain('type="date"');
    expect(tag(html, "form-note")).toMatch(/^<textarea [^>]*aria-describedby="form-note-help"/);
    expect(tag(html, "form-ref")).toContain('type="text"');
    for (const f of fields) expect(html).toContain(`for="form-${f.name}"`);
  });

  it("pins the database's refusal on the field it names", () => {
    const problems = fieldProblems(fields, ["amount: is required", "kind: must be one of car, home", "something else"]);
    expect([...problems]).toEqual([["amount", "is required"], ["kind", "must be one of car, home"]]);
    const html = renderToStaticMarkup(
      <FormFields fields={fields} input={initialInput(fields, null)} onChange={() => {}} problems={problems} />);
    expect(tag(html, "form-amount")).toContain('aria-invalid="true"');
    expect(tag(html, "form-amount")).toContain('aria-describedby="form-amount-problem"');
    expect(tag(html, "form-count")).not.toContain("aria-invalid");
    expect(html).toContain('<span class="field-problem" id="form-amount-problem">is required</span>');
  });
});
