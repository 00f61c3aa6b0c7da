// The "Advanced" section of the connect form: one instance's own network settings
// (over the global `issuebridge.http.*`) and their secrets, turned into
// `providers/configure`'s `http` and `httpSecrets`. Pure, so unit-tested.
//
// A configure is the instance's whole configuration: what the section holds are
// its settings from then on, and left empty it has none of its own (the global ones
// apply). The agent lists an instance with its own settings (`Instance.http`, never
// their secrets), so a reconnect starts with them filled in; the two secrets must be
// typed again.
import type { HttpSecrets, HttpSettings } from "../protocol";

export type AdvancedName =
  | "caBundle"
  | "proxy"
  | "proxyPassword"
  | "clientCertificate"
  | "clientKey"
  | "clientKeyPassphrase"
  | "timeoutSeconds"
  | "insecureSkipVerify";

export interface AdvancedControl {
  name: AdvancedName;
  label: string;
  help: string;
  input: "text" | "password" | "number" | "checkbox";
  /** Masked, never in webview state, cleared after a successful Connect; sent as `httpSecrets`. */
  secret: boolean;
  placeholder?: string;
}

export const ADVANCED_CONTROLS: readonly AdvancedControl[] = [
  {
    name: "caBundle",
    label: "CA bundle",
    help: "PEM file of the certificate authorities to trust for this server, in addition to the operating system's.",
    input: "text",
    secret: false,
    placeholder: "/path/to/company-ca.pem",
  },
  {
    name: "proxy",
    label: "Proxy",
    help: "HTTP(S) proxy for this server; a user may be in the URL, the password goes below.",
    input: "text",
    secret: false,
    placeholder: "http://proxy.example.com:3128",
  },
  {
    name: "proxyPassword",
    label: "Proxy password",
    help: "Kept in the agent's secret store, never in settings.",
    input: "password",
    secret: true,
  },
  {
    name: "clientCertificate",
    label: "Client certificate",
    help: "PEM file with the certificate (and its key, unless the next field names it) for a server or gateway that asks for one.",
    input: "text",
    secret: false,
    placeholder: "/path/to/me.pem",
  },
  { name: "clientKey", label: "Client key", help: "PEM file with the certificate's key.", input: "text", secret: false, placeholder: "/path/to/me.key" },
  {
    name: "clientKeyPassphrase",
    label: "Key passphrase",
    help: "For an encrypted key; kept in the agent's secret store, never in settings.",
    input: "password",
    secret: true,
  },
  {
    name: "timeoutSeconds",
    label: "Timeout (seconds)",
    help: "The most one request to this server may take (default: the issuebridge.http.timeoutSeconds setting).",
    input: "number",
    secret: false,
  },
  {
    name: "insecureSkipVerify",
    label: "Skip TLS verification (insecure)",
    help: "Turns certificate checks off for this server: anyone on the way can read and change everything sent, your credentials included. Prefer the CA bundle.",
    input: "checkbox",
    secret: false,
  },
];

/** What the section's inputs hold: text by name, the checkbox as a boolean. */
export interface AdvancedValues {
  text: Partial<Record<AdvancedName, string>>;
  insecureSkipVerify: boolean;
}

export interface AdvancedProblem {
  name: AdvancedName;
  message: string;
}

export interface AdvancedParams {
  http?: HttpSettings;
  httpSecrets?: HttpSecrets;
}

export type AdvancedResult = { ok: true; params: AdvancedParams } | { ok: false; problems: AdvancedProblem[] };

function proxyProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "Not a URL; e.g. http://proxy.example.com:3128.";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return "The proxy's address starts with http:// or https://.";
  if (parsed.password) return "Put the password in Proxy password, not in the URL (which is kept in the clear).";
  return undefined;
}

/** `http` and `httpSecrets` of a configure request, each left out when empty. */
export function collectAdvanced(values: AdvancedValues): AdvancedResult {
  const text = (name: AdvancedName): string => (values.text[name] ?? "").trim();
  const problems: AdvancedProblem[] = [];
  const http: HttpSettings = {};
  for (const name of ["caBundle", "clientCertificate", "clientKey"] as const) {
    if (text(name)) http[name] = text(name);
  }
  const proxy = text("proxy");
  if (proxy) {
    const problem = proxyProblem(proxy);
    if (problem) problems.push({ name: "proxy", message: problem });
    else http.proxy = proxy;
  }
  const timeout = text("timeoutSeconds");
  if (timeout) {
    const seconds = Number(timeout);
    if (!Number.isFinite(seconds) || seconds <= 0) problems.push({ name: "timeoutSeconds", message: "A positive number of seconds." });
    else http.timeoutSeconds = seconds;
  }
  if (values.insecureSkipVerify) http.insecureSkipVerify = true;
  if (problems.length) return { ok: false, problems };

  const params: AdvancedParams = {};
  if (Object.keys(http).length > 0) params.http = http;
  // Secrets as typed (a passphrase may start with a space), when typed at all.
  const secrets: HttpSecrets = {};
  const password = values.text.proxyPassword ?? "";
  if (password !== "") secrets.proxyPassword = password;
  const passphrase = values.text.clientKeyPassphrase ?? "";
  if (passphrase !== "") secrets.clientKeyPassphrase = passphrase;
  if (Object.keys(secrets).length > 0) params.httpSecrets = secrets;
  return { ok: true, params };
}

/** Whether the section has anything in it (it opens by itself on a reconnect that does). */
export function advancedIsEmpty(values: AdvancedValues): boolean {
  return !values.insecureSkipVerify && Object.values(values.text).every((value) => (value ?? "") === "");
}

/** The inputs' values once Connect was answered, as for the other fields: kept after a failure, empty after success. */
export function advancedAfterConnect(values: AdvancedValues, ok: boolean): AdvancedValues {
  return ok ? { text: {}, insecureSkipVerify: false } : { text: { ...values.text }, insecureSkipVerify: values.insecureSkipVerify };
}

/** The section's starting values on a reconnect: the instance's own settings as the
 * agent lists them (`Instance.http`), or nothing when it has none. */
export function advancedValuesOf(http: HttpSettings | undefined, insecure = false): AdvancedValues | undefined {
  const text: AdvancedValues["text"] = {};
  if (http?.caBundle) text.caBundle = http.caBundle;
  if (http?.proxy) text.proxy = http.proxy;
  if (http?.clientCertificate) text.clientCertificate = http.clientCertificate;
  if (http?.clientKey) text.clientKey = http.clientKey;
  if (typeof http?.timeoutSeconds === "number") text.timeoutSeconds = String(http.timeoutSeconds);
  const insecureSkipVerify = insecure || http?.insecureSkipVerify === true;
  return Object.keys(text).length > 0 || insecureSkipVerify ? { text, insecureSkipVerify } : undefined;
}
