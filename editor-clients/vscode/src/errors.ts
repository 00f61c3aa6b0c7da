// Turns whatever a request rejected with into what the UI shows. The agent's
// JSON-RPC errors already carry a message a person can act on plus
// `data: {kind, hint?, field?}`; we keep those words as they are rather than
// rephrasing them, so every editor says the same thing.
import { ErrorCodes, type ErrorKind } from "./protocol";

export interface AgentFailure {
  message: string;
  kind: ErrorKind | "clientError";
  hint?: string;
  /** The wire path of the offending param, e.g. `fields.baseUrl`. */
  field?: string;
  code?: number;
}

const kindsByCode = new Map<number, ErrorKind>(
  Object.entries(ErrorCodes).map(([kind, code]) => [code, kind as ErrorKind]),
);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
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
    return failure;
  }
  return { message: String(error), kind: "clientError" };
}

/** One line for a notification: the message, then what to do about it. */
export function describeFailure(failure: AgentFailure): string {
  return failure.hint ? `${failure.message} ${failure.hint}` : failure.message;
}

/** The form field a failure is about: `fields.baseUrl` → `baseUrl`. */
export function formFieldOf(failure: AgentFailure): string | undefined {
  const match = failure.field?.match(/^fields\.(.+)$/);
  return match?.[1];
}
