// A task's form: the fields its node defines (task_data.form, checked by the database when the
// model was saved: flowable.form_problem), drawn as labelled inputs of their type. The UI only
// turns what was typed into JSON values of the field's type; whether the data fills the form
// (required fields, types, options) the database decides when the task is completed, and its
// refusal names each field ("amount: is required"), which is shown under that field.
import type { Task } from "./api";

export const FIELD_TYPES = ["string", "text", "number", "integer", "boolean", "date", "enum"] as const;

export interface FormField {
  name: string;
  label?: string;
  type?: (typeof FIELD_TYPES)[number];
  required?: boolean;
  options?: string[];
  description?: string;
}

/** What was typed: text for every field, a checked flag for booleans. */
export type FormInput = Record<string, string | boolean>;

/** The form of a task, or null when it has none (the inbox then offers free name/value fields). */
export function formOf(task: Pick<Task, "task_data"> | undefined): FormField[] | null {
  const form = task?.task_data?.form;
  if (!Array.isArray(form)) return null;
  return form.filter((f): f is FormField =>
    typeof f === "object" && f !== null && typeof (f as { name?: unknown }).name === "string");
}

/** The first input: what the task already holds (a delegate's data), else nothing. */
export function initialInput(fields: FormField[], held: Record<string, unknown> | null): FormInput {
  const out: FormInput = {};
  for (const f of fields) {
    const v = held?.[f.name];
    if (f.type === "boolean") out[f.name] = v === true;
    else out[f.name] = v === undefined || v === null ? "" : String(v);
  }
  return out;
}

/** The form data sent to complete: each field as a JSON value of its type; an empty field is
 * left out (the database says if it was required). A number that does not parse is sent as
 * typed, so the database's refusal names it. */
export function formValues(fields: FormField[], input: FormInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = input[f.name];
    if (f.type === "boolean") {
      out[f.name] = raw === true;
      continue;
    }
    const text = typeof raw === "string" ? raw : "";
    if (text.trim() === "") continue;
    if (f.type === "number" || f.type === "integer") {
      const n = Number(text);
      out[f.name] = Number.isFinite(n) ? n : text;
    } else out[f.name] = text;
  }
  return out;
}

/** The database's refusal lines by the field they name ("name: problem"). */
export function fieldProblems(fields: FormField[], lines: string[]): Map<string, string> {
  const names = new Set(fields.map((f) => f.name));
  const out = new Map<string, string>();
  for (const line of lines) {
    const i = line.indexOf(": ");
    if (i > 0 && names.has(line.slice(0, i))) out.set(line.slice(0, i), line.slice(i + 2));
  }
  return out;
}

export function FormFields({ fields, input, onChange, problems, idPrefix = "form" }: {
  fields: FormField[];
  input: FormInput;
  onChange: (next: FormInput) => void;
  problems?: Map<string, string>;
  idPrefix?: string;
}) {
  const set = (name: string, value: string | boolean) => onChange({ ...input, [name]: value });
  return (
    <>
      {fields.map((f) => {
        const id = `${idPrefix}-${f.name}`;
        const problem = problems?.get(f.name);
        const described = [f.description ? `${id}-help` : "", problem ? `${id}-problem` : ""].filter(Boolean).join(" ");
        const common = {
          id, name: f.name, "aria-required": f.required ? true : undefined,
          "aria-invalid": problem ? true : undefined, "aria-describedby": described || undefined,
        };
        const text = typeof input[f.name] === "string" ? (input[f.name] as string) : "";
        const label = (
          <label htmlFor={id}>
            {f.label ?? f.name}{f.required && <span className="required" aria-hidden="true"> *</span>}
          </label>
        );
        let control;
        switch (f.type) {
          case "boolean":
            return (
              <div className={`form-field check${problem ? " invalid" : ""}`} key={f.name} data-field={f.name}>
                <input type="checkbox" {...common} checked={input[f.name] === true}
                  onChange={(e) => set(f.name, e.target.checked)} />
                {label}
                {f.description && <small id={`${id}-help`}>{f.description}</small>}
                {problem && <span className="field-problem" id={`${id}-problem`}>{problem}</span>}
              </div>
            );
          case "text":
            control = <textarea {...common} rows={3} value={text} onChange={(e) => set(f.name, e.target.value)} />;
            break;
          case "enum":
            control = (
              <select {...common} value={text} onChange={(e) => set(f.name, e.target.value)}>
                <option value="">choose…</option>
                {(f.options ?? []).map((o) => <option key={o} value={o}>{o}</option>)}
              </select>
            );
            break;
          case "number":
          case "integer":
            control = <input type="number" step={f.type === "integer" ? 1 : "any"} {...common} value={text}
              onChange={(e) => set(f.name, e.target.value)} />;
            break;
          case "date":
            control = <input type="date" {...common} value={text} onChange={(e) => set(f.name, e.target.value)} />;
            break;
          default:
            control = <input type="text" {...common} value={text} onChange={(e) => set(f.name, e.target.value)} />;
        }
        return (
          <div className={`form-field${problem ? " invalid" : ""}`} key={f.name} data-field={f.name}>
            {label}
            {control}
            {f.description && <small id={`${id}-help`}>{f.description}</small>}
            {problem && <span className="field-problem" id={`${id}-problem`}>{problem}</span>}
          </div>
        );
      })}
    </>
  );
}
