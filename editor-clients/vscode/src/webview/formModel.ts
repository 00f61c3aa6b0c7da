// Turns an auth method's `fields`, as the agent describes them, into form
// controls, and the user's input back into `configure` fields. Nothing here
// knows any tracker: a new provider or field appears in the form by itself.
// Pure, so unit-tested.
import { fieldNameOf, type AgentFailure, type FailureAction } from "../errors";
import type { AuthMethod, Field, Instance } from "../protocol";

export type InputKind = "url" | "text" | "password" | "textarea" | "keyRef";

export interface Control {
  name: string;
  label: string;
  help?: string;
  required: boolean;
  input: InputKind;
  /**
   * Secrets are masked and never put in persisted webview state; they stay in the
   * form after a failed Connect (to fix a typo elsewhere) and go after a successful one.
   */
  secret: boolean;
  /** Secrets and key references are not trimmed: a PEM or token is taken as given. */
  trim: boolean;
  /** What the input starts with (`Field.default`), e.g. the redirect URI to register. */
  initial?: string;
}

export function controlFor(field: Field): Control {
  const base = { name: field.name, label: field.label, required: field.required, ...(field.help ? { help: field.help } : {}) };
  // Only clear-text inputs start filled in: a secret never does, whatever an agent sends.
  const initial = field.default !== undefined ? { initial: field.default } : {};
  switch (field.kind) {
    case "url":
      return { ...base, ...initial, input: "url", secret: false, trim: true };
    case "text":
      return { ...base, ...initial, input: "text", secret: false, trim: true };
    case "secret":
      return { ...base, input: "password", secret: true, trim: false };
    case "multilineSecret":
      return { ...base, input: "textarea", secret: true, trim: false };
    case "keyRef":
      return { ...base, ...initial, input: "keyRef", secret: false, trim: true };
    default:
      // A kind this extension does not know yet: treat it as a secret, the
      // safe choice (masked and cleared), rather than show it in clear text.
      return { ...base, input: "password", secret: true, trim: false };
  }
}

export function controlsFor(method: AuthMethod): Control[] {
  return method.fields.map(controlFor);
}

/** Labels of required fields left empty, in form order. */
export function missingRequired(controls: readonly Control[], values: Readonly<Record<string, string>>): string[] {
  return controls
    .filter((control) => control.required && (values[control.name] ?? "").trim() === "")
    .map((control) => control.label);
}

/** The `fields` of a configure request: empty inputs left out, text trimmed. */
export function collectFields(controls: readonly Control[], values: Readonly<Record<string, string>>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const control of controls) {
    const raw = values[control.name] ?? "";
    const value = control.trim ? raw.trim() : raw;
    if (value.trim() !== "") fields[control.name] = value;
  }
  return fields;
}

/**
 * Whether an instance of this method gets its credentials by authorizing in the
 * browser rather than from the form (a token): the agent says so in
 * `AuthMethod.authorization`. Decides between "Authorize" and "Reconnect".
 */
export function authorizesInBrowser(method: AuthMethod | undefined): boolean {
  return method?.authorization === "browser";
}

/** Actions offered for an instance, in display order. */
export type InstanceAction = "authorize" | "reconnect" | "unlock" | "share" | "disconnect" | "forget";

export function instanceActions(instance: Instance, method: AuthMethod | undefined): InstanceAction[] {
  const actions: InstanceAction[] = [];
  const connected = instance.state === "connected";
  // The agent marks a team instance whose shared key is not unlocked here yet.
  if (instance.needsUnlock) actions.push("unlock");
  else if (!connected) actions.push(authorizesInBrowser(method) ? "authorize" : "reconnect");
  if (instance.scope === "user") actions.push("share");
  if (connected) actions.push("disconnect");
  actions.push("forget");
  return actions;
}

/** What a fresh form holds: each control's default, nothing else. */
export function initialValues(controls: readonly Control[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const control of controls) if (control.initial !== undefined) values[control.name] = control.initial;
  return values;
}

/**
 * Fields of the form to fill in when reconnecting an instance: its base URL and
 * the non-secret values it was configured with (`Instance.settings`: a consumer
 * key, a client id, a redirect URI), over the defaults. Never a secret: the
 * agent does not send them, and a value for a secret control is ignored.
 */
export function prefillFor(instance: Instance, controls: readonly Control[]): Record<string, string> {
  const values = initialValues(controls);
  const settings = instance.settings ?? {};
  for (const control of controls) {
    if (control.secret) continue;
    const value = control.name === "baseUrl" ? instance.baseUrl : settings[control.name];
    if (typeof value === "string") values[control.name] = value;
  }
  return values;
}

/**
 * What the inputs hold once Connect was answered: everything typed stays after a
 * failure (a URL typo must not cost the pasted token); after success, the
 * defaults again, ready for the next server.
 */
export function valuesAfterConnect(
  values: Readonly<Record<string, string>>,
  ok: boolean,
  controls: readonly Control[] = [],
): Record<string, string> {
  return ok ? initialValues(controls) : { ...values };
}

/**
 * The redirect URI the tracker's admin must register, when the method has one
 * (a `redirectUri` field, OAuth 2.0's): what the form holds now, else its default.
 */
export function redirectToRegister(
  controls: readonly Control[],
  values: Readonly<Record<string, string>>,
): string | undefined {
  const control = controls.find((c) => c.name === "redirectUri" && !c.secret);
  if (!control) return undefined;
  const value = (values[control.name] ?? "").trim() || control.initial?.trim();
  return value || undefined;
}

/** The guide of a method, when the agent gives one and it is a local file (never a web page). */
export function guideOf(method: AuthMethod | undefined): string | undefined {
  const url = method?.guideUrl;
  return typeof url === "string" && /^file:\/\//i.test(url) ? url : undefined;
}

/**
 * The control an error belongs to: the `Field` named by the last segment of
 * `data.field`; without one, the base URL for a server that cannot be reached or
 * is no Jira, and the only secret for rejected credentials.
 */
export function controlForFailure(controls: readonly Control[], failure: AgentFailure): Control | undefined {
  const named = fieldNameOf(failure);
  if (named) return controls.find((control) => control.name === named);
  if (failure.kind === "unreachable" || failure.kind === "unsupportedServer") {
    return controls.find((control) => control.input === "url");
  }
  if (failure.kind === "authenticationFailed") {
    const secrets = controls.filter((control) => control.input === "password");
    return secrets.length === 1 ? secrets[0] : undefined;
  }
  return undefined;
}

/** The card's own button for what an error's `data.action` asks. */
const OFFERED_AS: Partial<Record<FailureAction, InstanceAction>> = {
  authorize: "authorize",
  unlock: "unlock",
  configure: "reconnect",
};

/**
 * Whether an error shown on an instance's card gets a button for its action:
 * not when the card already offers that step (no two Authorize buttons).
 */
export function noteButtonFor(action: FailureAction | undefined, offered: readonly InstanceAction[]): boolean {
  if (!action) return false;
  const same = OFFERED_AS[action];
  return !same || !offered.includes(same);
}
