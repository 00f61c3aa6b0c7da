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
}

export function controlFor(field: Field): Control {
  const base = { name: field.name, label: field.label, required: field.required, ...(field.help ? { help: field.help } : {}) };
  switch (field.kind) {
    case "url":
      return { ...base, input: "url", secret: false, trim: true };
    case "text":
      return { ...base, input: "text", secret: false, trim: true };
    case "secret":
      return { ...base, input: "password", secret: true, trim: false };
    case "multilineSecret":
      return { ...base, input: "textarea", secret: true, trim: false };
    case "keyRef":
      return { ...base, input: "keyRef", secret: false, trim: true };
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

/** Fields of the form to prefill when reconnecting an instance. */
export function prefillFor(instance: Instance, controls: readonly Control[]): Record<string, string> {
  const values: Record<string, string> = {};
  if (controls.some((control) => control.name === "baseUrl")) values.baseUrl = instance.baseUrl;
  return values;
}

/**
 * What the inputs hold once Connect was answered: everything typed stays after a
 * failure (a URL typo must not cost the pasted token), nothing after success.
 */
export function valuesAfterConnect(
  values: Readonly<Record<string, string>>,
  ok: boolean,
): Record<string, string> {
  return ok ? {} : { ...values };
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
