// The create form, from `issues/createForm`'s fields: which control each kind
// gets, the values typed turned into `issues/create`'s `fields`, and where
// each of Jira's per-field errors goes. Nothing here knows a project or a
// field: a new custom field appears in the form by itself. Pure, so unit-tested.
import type { FieldValue, FormField } from "../protocol";

export type CreateInput = "text" | "textarea" | "select" | "checkboxes" | "number" | "date" | "user" | "labels";

export function inputFor(field: Pick<FormField, "kind" | "allowedValues">): CreateInput {
  switch (field.kind) {
    case "multilineText":
      return "textarea";
    case "select":
      return "select";
    case "multiSelect":
      return "checkboxes";
    case "number":
      return "number";
    case "date":
      return "date";
    case "user":
      return "user";
    case "labels":
      return "labels";
    default:
      // text, and any kind this extension does not know yet: a line of text.
      return "text";
  }
}

/** What an input holds: text, or the ids ticked in a checkbox list. */
export type RawValue = string | string[];

export interface Collected {
  fields: Record<string, FieldValue>;
  /** Problems found before anything is sent, by field name. */
  problems: Record<string, string>;
}

/** `a, b  c` → `["a", "b", "c"]` (Jira labels hold no spaces). */
export function splitLabels(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

/**
 * The `fields` of `issues/create`: empty inputs left out, text trimmed (a
 * multi-line text is kept as written), numbers parsed, labels split. Required
 * fields left empty and numbers that are not are named in `problems`.
 */
export function collectValues(fields: readonly FormField[], raw: Readonly<Record<string, RawValue>>): Collected {
  const collected: Collected = { fields: {}, problems: {} };
  for (const field of fields) {
    const value = raw[field.name];
    const input = inputFor(field);
    let wire: FieldValue | undefined;
    if (Array.isArray(value)) {
      const allowed = new Set((field.allowedValues ?? []).map((option) => option.id));
      const ids = value.filter((id) => allowed.size === 0 || allowed.has(id));
      if (ids.length) wire = ids;
    } else {
      const text = input === "textarea" ? (value ?? "") : (value ?? "").trim();
      if (text.trim() !== "") {
        if (input === "number") {
          const number = Number(text);
          if (!Number.isFinite(number)) {
            collected.problems[field.name] = "Enter a number.";
            continue;
          }
          wire = number;
        } else if (input === "labels") {
          wire = splitLabels(text);
        } else {
          wire = text;
        }
      }
    }
    if (wire === undefined) {
      if (field.required) collected.problems[field.name] = `${field.label} is required.`;
      continue;
    }
    collected.fields[field.name] = wire;
  }
  return collected;
}

/**
 * Jira's (or the agent's) errors by field name: those of a field in the form go
 * beside it; the rest, labelled, under the form.
 */
export function placeFieldErrors(
  fields: readonly Pick<FormField, "name" | "label">[],
  fieldErrors: Readonly<Record<string, string>>,
): { beside: Record<string, string>; rest: string[] } {
  const names = new Set(fields.map((field) => field.name));
  const beside: Record<string, string> = {};
  const rest: string[] = [];
  for (const [name, message] of Object.entries(fieldErrors)) {
    if (names.has(name)) beside[name] = message;
    else rest.push(`${name}: ${message}`);
  }
  return { beside, rest };
}
