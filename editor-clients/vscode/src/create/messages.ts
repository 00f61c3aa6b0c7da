// Messages between the create form's webview and the extension host. The host
// checks the shape of everything the webview sends (parseCreateMessage).
import type { AgentFailure } from "../errors";
import type { FieldValue, FormField, Issue } from "../protocol";
import { isId, isRequestId, isShape, isText } from "../panel/messageChecks";

export interface FormDescription {
  instanceLabel: string;
  projectKey: string;
  projectName: string;
  issueTypeName: string;
  fields: FormField[];
  /** Values the form starts with, by field name (text fields only). */
  initial?: Record<string, string>;
}

/** Host → webview. */
export type CreateHostMessage =
  | ({ type: "form" } & FormDescription)
  | { type: "result"; requestId: number; ok: true; issue: Issue }
  | { type: "result"; requestId: number; ok: false; failure: AgentFailure };

/** Webview → host. */
export type CreateMessage =
  | { type: "ready" }
  | { type: "create"; requestId: number; fields: Record<string, FieldValue> }
  | { type: "openCreated"; key: string }
  | { type: "copy"; text: string };

function fieldValue(value: unknown): FieldValue | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (isText(value)) return value;
  if (Array.isArray(value) && value.length <= 1000 && value.every((item) => isText(item, 1000))) return value as string[];
  return undefined;
}

function fieldValues(value: unknown): Record<string, FieldValue> | undefined {
  if (!isShape(value) || Object.keys(value).length > 500) return undefined;
  const fields: Record<string, FieldValue> = {};
  for (const [name, raw] of Object.entries(value)) {
    const parsed = fieldValue(raw);
    if (!isId(name) || parsed === undefined) return undefined;
    fields[name] = parsed;
  }
  return fields;
}

export function parseCreateMessage(raw: unknown): CreateMessage | undefined {
  if (!isShape(raw) || typeof raw.type !== "string") return undefined;
  switch (raw.type) {
    case "ready":
      return { type: "ready" };
    case "create": {
      const fields = fieldValues(raw.fields);
      return isRequestId(raw.requestId) && fields ? { type: "create", requestId: raw.requestId, fields } : undefined;
    }
    case "openCreated":
      return isId(raw.key) ? { type: "openCreated", key: raw.key } : undefined;
    case "copy":
      return isText(raw.text, 10_000) ? { type: "copy", text: raw.text } : undefined;
    default:
      return undefined;
  }
}
