// Turns whatever a request rejected with into what the UI shows. The agent's
// JSON-RPC errors already carry a message a person can act on plus
// `data: {kind, hint?, field?, action?}`; we keep those words as they are rather
// than rephrasing them, so every editor says the same thing. `action` is the
// machine-readable next step, which VS Code turns into a button.
import { ErrorCodes, type ErrorAction, type ErrorKind } from "./protocol";

/** The next steps an error may name (`data.action`, shared decision 1). */
export const FAILURE_ACTIONS: readonly ErrorAction[] = [
  "configure",
  "authorize",
  "generateKey",
  "unlock",
  "setCaBundle",
  "retry",
  "repairStorage",
];
export type FailureAction = ErrorAction;

export interface AgentFailure {
  message: string;
  kind: ErrorKind | "clientError";
  hint?: string;
  /** The wire path of the offending param, e.g. `fields.baseUrl`. */
  field?: string;
  /** What to do next, as the agent says it (an unknown action is left out). */
  action?: FailureAction;
  /** The file a `repairStorage` action is about. */
  path?: string;
  /** Per-field messages (`data.fieldErrors`: a create Jira or the agent refused), by field name. */
  fieldErrors?: Record<string, string>;
  code?: number;
}

const kindsByCode = new Map<number, ErrorKind>(
  Object.entries(ErrorCodes).map(([kind, code]) => [code, kind as ErrorKind]),
);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function isAction(value: unknown): value is FailureAction {
  return typeof value === "string" && (FAILURE_ACTIONS as readonly string[]).includes(value);
}

function stringEntries(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value) || Array.isArray(value)) return undefined;
  const entries = Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string");
  return entries.length ? Object.fromEntries(entries) : undefined;
}

export function toFailure(error: unknown): AgentFailure {
  if (isRecord(error) && typeof error.message === "string") {
    const code = typeof error.code === "number" ? error.code : undefined;
    const data = isRecord(error.data) ? error.data : {};
    const kindFromData = typeof data.kind === "string" ? data.kind : undefined;
    const kind =
      (kindFromData && kindFromData in ErrorCodes ? (kindFromData as ErrorKind) : undefined) ??
      (code !== undefined ? kindsByCode.get(code) : undefined) ??
      "clientError";
    const failure: AgentFailure = { message: error.message, kind };
    if (code !== undefined) failure.code = code;
    if (typeof data.hint === "string" && data.hint) failure.hint = data.hint;
    if (typeof data.field === "string" && data.field) failure.field = data.field;
    if (isAction(data.action)) failure.action = data.action;
    if (typeof data.path === "string" && data.path) failure.path = data.path;
    const fieldErrors = stringEntries(data.fieldErrors);
    if (fieldErrors) failure.fieldErrors = fieldErrors;
    return failure;
  }
  return { message: String(error), kind: "clientError" };
}

/** The hint, unless the message already says it (it is shown once). */
export function extraHint(failure: AgentFailure): string | undefined {
  const hint = failure.hint?.trim();
  return hint && !failure.message.includes(hint) ? hint : undefined;
}

/** One line for a notification: the message, then what to do about it. */
export function describeFailure(failure: AgentFailure): string {
  const hint = extraHint(failure);
  return hint ? `${failure.message} ${hint}` : failure.message;
}

/** The last segment of `data.field`: `fields.baseUrl` → `baseUrl` (CONTRACT: the Field's name). */
export function fieldNameOf(failure: AgentFailure): string | undefined {
  const last = failure.field?.split(".").pop();
  return last ? last : undefined;
}

/** Words on the button for an action (the agent's hint says why, the button does it). */
export const ACTION_BUTTON_LABELS: Record<FailureAction, string> = {
  configure: "Configure",
  authorize: "Authorize",
  generateKey: "Generate key pair",
  unlock: "Unlock",
  setCaBundle: "Set CA bundle",
  retry: "Retry",
  repairStorage: "Show file",
};
