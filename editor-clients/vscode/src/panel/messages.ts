// Messages between the Integrations webview and the extension host. The host
// treats everything from the webview as untrusted input and checks its shape
// (parseWebviewMessage) before acting on it.
import type { AgentStatus } from "../agent/status";
import type { AgentFailure } from "../errors";
import type { HttpSecrets, HttpSettings, Instance, KeysGenerateResult, Provider } from "../protocol";
import { isId, isRequestId, isShape } from "./messageChecks";

/** Host → webview. */
export type HostMessage =
  | {
      type: "state";
      agent: AgentStatus;
      providers: Provider[];
      workspaceOpen: boolean;
      /** Set when secrets fall back to a 0600 file and the user has not dismissed the note. */
      secretFileNote?: { path?: string };
    }
  | { type: "result"; requestId: number; ok: true; value: ActionValue }
  | { type: "result"; requestId: number; ok: false; failure: AgentFailure };

export type ActionValue =
  | { action: "configure"; instance: Instance }
  | { action: "authorize"; instance: Instance; authorizeUrl?: string }
  | { action: "dismissed" }
  | { action: "generateKey"; key: KeysGenerateResult }
  | { action: "share"; path: string; passphrase?: string }
  | { action: "done" };

/** Webview → host. */
export type WebviewMessage =
  | { type: "ready" }
  | {
      type: "configure";
      requestId: number;
      providerId: string;
      authMethod: string;
      fields: Record<string, string>;
      /** The Advanced section: the instance's own network settings and their secrets. */
      http?: HttpSettings;
      httpSecrets?: HttpSecrets;
    }
  | { type: "generateKey"; requestId: number }
  | { type: "authorize"; requestId: number; instanceId: string }
  | { type: "disconnect"; requestId: number; instanceId: string; forget: boolean }
  | { type: "share"; requestId: number; instanceId: string }
  | { type: "unlock"; requestId: number; instanceId: string }
  | { type: "completeAuthorization"; requestId: number; instanceId: string; verifier: string }
  | { type: "copy"; text: string }
  | { type: "openAuthorizePage"; url: string }
  /** The guide of an auth method: the host looks its `guideUrl` up, the webview never names a file. */
  | { type: "openGuide"; providerId: string; methodId: string }
  | { type: "openCaBundleSetting" }
  | { type: "revealFile"; path: string }
  | { type: "dismissSecretFileNote" }
  | { type: "restartAgent" }
  | { type: "showLog" };

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    isShape(value) &&
    Object.keys(value).length <= 50 &&
    Object.values(value).every((v) => typeof v === "string" && v.length <= 100_000)
  );
}

const HTTP_TEXT = ["caBundle", "proxy", "clientCertificate", "clientKey"] as const;

/** The Advanced section's `http`: only the keys it sets, each of its type; undefined otherwise. */
export function parseHttpSettings(raw: unknown): HttpSettings | undefined {
  if (!isShape(raw)) return undefined;
  const http: HttpSettings = {};
  for (const [key, value] of Object.entries(raw)) {
    if ((HTTP_TEXT as readonly string[]).includes(key)) {
      if (typeof value !== "string" || value.trim() === "" || value.length > 4096) return undefined;
      http[key as (typeof HTTP_TEXT)[number]] = value;
    } else if (key === "timeoutSeconds") {
      if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) return undefined;
      http.timeoutSeconds = value;
    } else if (key === "insecureSkipVerify") {
      if (value !== true) return undefined;
      http.insecureSkipVerify = true;
    } else {
      return undefined;
    }
  }
  return http;
}

export function parseHttpSecrets(raw: unknown): HttpSecrets | undefined {
  if (!isShape(raw)) return undefined;
  const secrets: HttpSecrets = {};
  for (const [key, value] of Object.entries(raw)) {
    if ((key !== "proxyPassword" && key !== "clientKeyPassphrase") || typeof value !== "string" || value === "" || value.length > 10_000) {
      return undefined;
    }
    secrets[key] = value;
  }
  return secrets;
}

function parseConfigure(raw: Record<string, unknown>): WebviewMessage | undefined {
  if (!(isRequestId(raw.requestId) && isId(raw.providerId) && isId(raw.authMethod) && isStringRecord(raw.fields))) return undefined;
  const http = raw.http === undefined ? undefined : parseHttpSettings(raw.http);
  const httpSecrets = raw.httpSecrets === undefined ? undefined : parseHttpSecrets(raw.httpSecrets);
  if ((raw.http !== undefined && !http) || (raw.httpSecrets !== undefined && !httpSecrets)) return undefined;
  return {
    type: "configure",
    requestId: raw.requestId,
    providerId: raw.providerId,
    authMethod: raw.authMethod,
    fields: raw.fields,
    ...(http ? { http } : {}),
    ...(httpSecrets ? { httpSecrets } : {}),
  };
}

export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (!isShape(raw) || typeof raw.type !== "string") return undefined;
  switch (raw.type) {
    case "ready":
    case "restartAgent":
    case "showLog":
    case "openCaBundleSetting":
    case "dismissSecretFileNote":
      return { type: raw.type };
    case "openAuthorizePage":
      return typeof raw.url === "string" && raw.url.length <= 10_000 ? { type: "openAuthorizePage", url: raw.url } : undefined;
    case "openGuide":
      return isId(raw.providerId) && isId(raw.methodId)
        ? { type: "openGuide", providerId: raw.providerId, methodId: raw.methodId }
        : undefined;
    case "revealFile":
      return typeof raw.path === "string" && raw.path.length > 0 && raw.path.length <= 4096
        ? { type: "revealFile", path: raw.path }
        : undefined;
    case "completeAuthorization":
      return isRequestId(raw.requestId) &&
        isId(raw.instanceId) &&
        typeof raw.verifier === "string" &&
        raw.verifier.trim().length > 0 &&
        raw.verifier.length <= 10_000
        ? { type: "completeAuthorization", requestId: raw.requestId, instanceId: raw.instanceId, verifier: raw.verifier.trim() }
        : undefined;
    case "copy":
      return typeof raw.text === "string" && raw.text.length <= 100_000 ? { type: "copy", text: raw.text } : undefined;
    case "generateKey":
      return isRequestId(raw.requestId) ? { type: "generateKey", requestId: raw.requestId } : undefined;
    case "configure":
      return parseConfigure(raw);
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
