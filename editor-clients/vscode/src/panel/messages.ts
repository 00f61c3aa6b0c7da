// Messages between the Integrations webview and the extension host. The host
// treats everything from the webview as untrusted input and checks its shape
// (parseWebviewMessage) before acting on it.
import type { AgentStatus } from "../agent/status";
import type { AgentFailure } from "../errors";
import type { Instance, KeysGenerateResult, Provider } from "../protocol";

/** Host → webview. */
export type HostMessage =
  | { type: "state"; agent: AgentStatus; providers: Provider[]; workspaceOpen: boolean }
  | { type: "result"; requestId: number; ok: true; value: ActionValue }
  | { type: "result"; requestId: number; ok: false; failure: AgentFailure };

export type ActionValue =
  | { action: "configure"; instance: Instance }
  | { action: "generateKey"; key: KeysGenerateResult }
  | { action: "share"; path: string; passphrase?: string }
  | { action: "done" };

/** Webview → host. */
export type WebviewMessage =
  | { type: "ready" }
  | { type: "configure"; requestId: number; providerId: string; authMethod: string; fields: Record<string, string> }
  | { type: "generateKey"; requestId: number }
  | { type: "authorize"; requestId: number; instanceId: string }
  | { type: "disconnect"; requestId: number; instanceId: string; forget: boolean }
  | { type: "share"; requestId: number; instanceId: string }
  | { type: "unlock"; requestId: number; instanceId: string }
  | { type: "copy"; text: string }
  | { type: "restartAgent" }
  | { type: "showLog" };

type Shape = Record<string, unknown>;

function isShape(value: unknown): value is Shape {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isRequestId(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= 500;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    isShape(value) &&
    Object.keys(value).length <= 50 &&
    Object.values(value).every((v) => typeof v === "string" && v.length <= 100_000)
  );
}

export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (!isShape(raw) || typeof raw.type !== "string") return undefined;
  switch (raw.type) {
    case "ready":
    case "restartAgent":
    case "showLog":
      return { type: raw.type };
    case "copy":
      return typeof raw.text === "string" && raw.text.length <= 100_000 ? { type: "copy", text: raw.text } : undefined;
    case "generateKey":
      return isRequestId(raw.requestId) ? { type: "generateKey", requestId: raw.requestId } : undefined;
    case "configure":
      return isRequestId(raw.requestId) && isId(raw.providerId) && isId(raw.authMethod) && isStringRecord(raw.fields)
        ? { type: "configure", requestId: raw.requestId, providerId: raw.providerId, authMethod: raw.authMethod, fields: raw.fields }
        : undefined;
    case "authorize":
    case "share":
    case "unlock":
      return isRequestId(raw.requestId) && isId(raw.instanceId)
        ? { type: raw.type, requestId: raw.requestId, instanceId: raw.instanceId }
        : undefined;
    case "disconnect":
      return isRequestId(raw.requestId) && isId(raw.instanceId) && typeof raw.forget === "boolean"
        ? { type: "disconnect", requestId: raw.requestId, instanceId: raw.instanceId, forget: raw.forget }
        : undefined;
    default:
      return undefined;
  }
}
