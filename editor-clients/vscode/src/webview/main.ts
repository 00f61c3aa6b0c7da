// The Integrations panel, running inside the webview. It renders providers,
// instances and configuration forms from the data the host sends, and sends
// the user's actions back; it never talks to the agent or the network itself.
import type { AgentStatus } from "../agent/status";
import { ACTION_BUTTON_LABELS, extraHint, fieldNameOf, type AgentFailure, type FailureAction } from "../errors";
import { INSECURE_EXPLANATION, INSECURE_LABEL } from "../insecure";
import type { HostMessage, WebviewMessage } from "../panel/messages";
import type { Instance, Provider } from "../protocol";
import { advancedAfterConnect, advancedValuesOf, collectAdvanced, type AdvancedValues } from "./advancedModel";
import { AdvancedSection } from "./advancedSection";
import { button, h } from "./dom";
import { failureText } from "./failure";
import { controlElement, fieldId, keyBoxContent } from "./formControls";
import {
  collectFields,
  controlForFailure,
  controlsFor,
  guideOf,
  initialValues,
  instanceActions,
  missingRequired,
  noteButtonFor,
  prefillFor,
  redirectToRegister,
  valuesAfterConnect,
  type InstanceAction,
} from "./formModel";

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById("app") as HTMLElement;

/**
 * What survives a reload of the panel (VS Code keeps it with the panel): the
 * chosen auth method per provider. Never a value typed into the form: secrets
 * stay in the page's inputs only, until the user leaves the form.
 */
interface SavedState {
  methods: Record<string, string>;
}

function savedState(): SavedState {
  const raw = vscode.getState() as Partial<SavedState> | undefined;
  const methods = raw && typeof raw.methods === "object" && raw.methods ? raw.methods : {};
  return { methods: { ...methods } };
}

function saveMethod(providerId: string, methodId: string): void {
  const state = savedState();
  state.methods[providerId] = methodId;
  vscode.setState(state);
}

interface ProviderView {
  section: HTMLElement;
  heading: HTMLElement;
  connectHeading: HTMLElement;
  connectOther: HTMLButtonElement;
  instances: HTMLElement;
  methods: HTMLElement;
  formHost: HTMLElement;
  methodId: string | undefined;
  methodsSignature: string;
}

type ResultMessage = Extract<HostMessage, { type: "result" }>;

let agent: AgentStatus = { state: "starting" };
let providers: Provider[] = [];
let workspaceOpen = false;
let secretFileNote: { path?: string } | undefined;
const providerViews = new Map<string, ProviderView>();
/** Results of instance actions (errors, a shared passphrase) shown on the instance's card. */
const cardNotes = new Map<string, { kind: "error" | "info"; text: string; copy?: string; failure?: AgentFailure }>();
const busyInstances = new Set<string>();
/** The authorize box of an instance while its authorization runs (kept across re-renders). */
const authorizeBoxes = new Map<string, AuthorizeBox>();
/** The last action per instance, for a Retry button. */
const lastActions = new Map<string, InstanceAction>();
let nextRequestId = 1;
const pending = new Map<number, (message: ResultMessage) => void>();

function send(message: WebviewMessage): void {
  vscode.postMessage(message);
}

function request(build: (requestId: number) => WebviewMessage, onResult: (message: ResultMessage) => void): void {
  const requestId = nextRequestId++;
  pending.set(requestId, onResult);
  send(build(requestId));
}


/** A button for the error's next step (`data.action`), when this place can take it. */
function actionButtons(
  failure: AgentFailure,
  handlers: Partial<Record<FailureAction, () => void>>,
): HTMLElement | undefined {
  const shared: Partial<Record<FailureAction, () => void>> = {
    setCaBundle: () => send({ type: "openCaBundleSetting" }),
    ...(failure.path ? { repairStorage: () => send({ type: "revealFile", path: failure.path ?? "" }) } : {}),
  };
  const run = failure.action ? (handlers[failure.action] ?? shared[failure.action]) : undefined;
  if (!failure.action || !run) return undefined;
  return h(
    "div",
    { class: "actions" },
    button(ACTION_BUTTON_LABELS[failure.action], run, { "data-action": failure.action }),
  );
}

// ---------------------------------------------------------------- header

const header = h("header", { class: "header" });
const banner = h("div", { class: "banner", role: "alert", hidden: true });
const storageNote = h("div", { class: "storage-note", role: "status", hidden: true });

function renderHeader(): void {
  const label =
    agent.state === "running"
      ? "Agent running"
      : agent.state === "starting"
        ? "Agent starting…"
        : agent.state === "failed"
          ? "Agent not running"
          : "Agent stopped";
  header.replaceChildren(
    h("h1", {}, "Integrations"),
    h("span", { class: `pill agent-${agent.state}`, id: "agent-status" }, label),
  );
  if (agent.state === "failed" || agent.state === "stopped") {
    banner.hidden = false;
    banner.replaceChildren(
      h("p", {}, agent.state === "failed" ? agent.reason : "The issuebridge agent is stopped."),
      h(
        "div",
        { class: "actions" },
        button("Restart agent", () => send({ type: "restartAgent" })),
        button("Show log", () => send({ type: "showLog" }), { class: "secondary" }),
      ),
    );
  } else {
    banner.hidden = true;
    banner.replaceChildren();
  }
  // Said once: the host stops sending it when the user dismisses it.
  storageNote.hidden = !secretFileNote;
  storageNote.replaceChildren(
    ...(secretFileNote
      ? [
          h(
            "p",
            {},
            "No OS keyring is available here, so tokens and keys are kept in ",
            h("code", {}, secretFileNote.path ?? "a file"),
            ", which only your user account can read (mode 0600).",
          ),
          h("div", { class: "actions" }, button("Got it", () => send({ type: "dismissSecretFileNote" }), { class: "secondary small" })),
        ]
      : []),
  );
}

// ---------------------------------------------------------------- authorization

/**
 * Shown while an authorization runs, and after the agent could not open the
 * page: the way back when the browser cannot reach the agent's callback (a
 * remote editor, another machine). The code Jira shows, or the whole address
 * the browser ended on, completes the authorization.
 */
class AuthorizeBox {
  readonly element = h("section", { class: "authorize-box", "aria-label": "Authorization" });
  private readonly status = h("p", { class: "muted" }, "Waiting for you to allow access in the browser…");
  private readonly link = h("div", { class: "authorize-link", hidden: true });
  private readonly input: HTMLInputElement;
  private readonly complete: HTMLButtonElement;
  private readonly error = h("div", { class: "paste-status", role: "alert" });

  constructor(private readonly instanceId: string) {
    const inputId = `paste-${instanceId}`.replace(/[^A-Za-z0-9_-]/g, "_");
    this.input = h("input", { id: inputId, type: "text", autocomplete: "off", spellcheck: "false", placeholder: "code or http://…" });
    this.complete = button("Complete", () => this.submit());
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        this.submit();
      }
    });
    this.element.append(
      this.status,
      this.link,
      h("label", { for: inputId }, "Browser didn't come back? Paste the code or the address it shows"),
      h("div", { class: "inline" }, this.input, this.complete),
      this.error,
    );
  }

  /** The agent could not open the page: the user opens it. */
  showUrl(url: string): void {
    this.status.textContent = "Open this address in a browser, allow access, then paste the code or the address the browser shows below.";
    this.link.hidden = false;
    this.link.replaceChildren(
      h("code", { class: "url-text" }, url),
      h(
        "div",
        { class: "actions" },
        button("Open in browser", () => send({ type: "openAuthorizePage", url })),
        button("Copy address", () => send({ type: "copy", text: url }), { class: "secondary" }),
      ),
    );
  }

  private submit(): void {
    const verifier = this.input.value.trim();
    if (!verifier || this.complete.disabled) return;
    this.complete.disabled = true;
    this.error.replaceChildren(h("span", { class: "muted" }, "Completing the authorization…"));
    request(
      (requestId) => ({ type: "completeAuthorization", requestId, instanceId: this.instanceId, verifier }),
      (message) => {
        this.complete.disabled = false;
        if (message.ok) {
          authorizationDone(this.instanceId);
          return;
        }
        this.input.setAttribute("aria-invalid", "true");
        this.error.replaceChildren(...failureText(message.failure));
      },
    );
  }
}

function authorizationDone(instanceId: string): void {
  authorizeBoxes.delete(instanceId);
  busyInstances.delete(instanceId);
  cardNotes.delete(instanceId);
  renderInstances();
}

function startAuthorize(id: string): void {
  const box = new AuthorizeBox(id);
  authorizeBoxes.set(id, box);
  request(
    (requestId) => ({ type: "authorize", requestId, instanceId: id }),
    (message) => {
      busyInstances.delete(id);
      if (authorizeBoxes.get(id) !== box) {
        // Completed by a pasted code meanwhile, or replaced by a newer Authorize.
        renderInstances();
        return;
      }
      if (message.ok && message.value.action === "authorize") {
        if (message.value.instance.state === "connected") {
          authorizationDone(id);
          return;
        }
        if (message.value.authorizeUrl) box.showUrl(message.value.authorizeUrl);
      } else if (!message.ok) {
        // Why the wait ended (timed out, replaced, cancelled, denied): the agent's words.
        authorizeBoxes.delete(id);
        cardNotes.set(id, {
          kind: message.failure.kind === "cancelled" ? "info" : "error",
          text: message.failure.message,
          failure: message.failure,
        });
      }
      renderInstances();
    },
  );
}

// ---------------------------------------------------------------- instances

const ACTION_LABELS: Record<InstanceAction, string> = {
  authorize: "Authorize",
  reconnect: "Reconnect",
  unlock: "Unlock",
  share: "Share with team",
  disconnect: "Disconnect",
  forget: "Forget",
};

const STATE_LABELS: Record<Instance["state"], string> = {
  connected: "Connected",
  needsAuthorization: "Needs authorization",
  error: "Error",
};

function runInstanceAction(provider: Provider, instance: Instance, action: InstanceAction): void {
  const id = instance.instanceId;
  if (action === "reconnect") {
    showFormFor(provider, instance);
    return;
  }
  lastActions.set(id, action);
  cardNotes.delete(id);
  busyInstances.add(id);
  if (action === "authorize") {
    startAuthorize(id);
    renderInstances();
    return;
  }
  renderInstances();
  const done = (message: ResultMessage): void => {
    busyInstances.delete(id);
    if (!message.ok) {
      cardNotes.set(id, {
        kind: message.failure.kind === "cancelled" ? "info" : "error",
        text: message.failure.message,
        failure: message.failure,
      });
    } else if (message.value.action === "share") {
      const { path, passphrase } = message.value;
      cardNotes.set(
        id,
        passphrase
          ? {
              kind: "info",
              text: `Shared in ${path}. Teammates unlock it with this passphrase, shown only now: hand it over through a password manager, not the repository. ${passphrase}`,
              copy: passphrase,
            }
          : { kind: "info", text: `Shared in ${path}. Teammates who open this folder see it and connect with their own token.` },
      );
    }
    renderInstances();
  };
  switch (action) {
    case "share":
    case "unlock":
      request((requestId) => ({ type: action, requestId, instanceId: id }), done);
      break;
    case "disconnect":
    case "forget":
      request((requestId) => ({ type: "disconnect", requestId, instanceId: id, forget: action === "forget" }), done);
      break;
  }
}

function noteElement(provider: Provider, instance: Instance, offered: readonly InstanceAction[]): HTMLElement | undefined {
  const note = cardNotes.get(instance.instanceId);
  if (!note) return undefined;
  const failure: AgentFailure | undefined =
    note.failure && !noteButtonFor(note.failure.action, offered) ? { ...note.failure, action: undefined } : note.failure;
  const again = (action: InstanceAction) => () => runInstanceAction(provider, instance, action);
  const last = lastActions.get(instance.instanceId);
  return h(
    "div",
    { class: note.kind === "error" ? "error note" : "info note", role: note.kind === "error" ? "alert" : "status" },
    h("span", {}, note.text),
    failure && extraHint(failure) && h("span", { class: "hint" }, extraHint(failure) ?? ""),
    note.copy !== undefined && button("Copy", () => send({ type: "copy", text: note.copy ?? "" }), { class: "secondary small" }),
    failure &&
      actionButtons(failure, {
        configure: () => showFormFor(provider, instance),
        authorize: again("authorize"),
        unlock: again("unlock"),
        generateKey: () => showFormFor(provider, instance, { generateKey: true }),
        ...(last ? { retry: again(last) } : {}),
      }),
  );
}

function instanceCard(provider: Provider, instance: Instance): HTMLElement {
  const method = provider.authMethods.find((m) => m.id === instance.authMethod);
  const busy = busyInstances.has(instance.instanceId);
  const meta = [
    instance.user ? `as ${instance.user.displayName}` : undefined,
    instance.serverVersion ? `version ${instance.serverVersion}` : undefined,
    method?.label ?? instance.authMethod,
  ].filter((part): part is string => Boolean(part));
  const actions = instanceActions(instance, method).filter((action) => action !== "share" || workspaceOpen);
  const authorizing = authorizeBoxes.get(instance.instanceId);
  if (authorizing && instance.state === "connected") authorizeBoxes.delete(instance.instanceId);
  return h(
    "article",
    { class: "card", "data-instance-id": instance.instanceId, "aria-label": instance.baseUrl },
    h(
      "div",
      { class: "card-title" },
      h("span", { class: "url" }, instance.baseUrl),
      h("span", { class: `badge state-${instance.state}` }, STATE_LABELS[instance.state]),
      instance.scope === "team" && h("span", { class: "badge team", title: "Configuration shared with the team" }, "Team"),
      instance.insecure && h("span", { class: "badge insecure", title: INSECURE_EXPLANATION }, `⚠ ${INSECURE_LABEL}`),
    ),
    instance.insecure && h("p", { class: "warning-text insecure-note" }, INSECURE_EXPLANATION),
    h("div", { class: "muted" }, meta.join(" · ")),
    instance.error && h("p", { class: "error" }, instance.error),
    noteElement(provider, instance, actions),
    // The same element every render, so a half-pasted code survives state updates.
    authorizing && instance.state !== "connected" && authorizing.element,
    h(
      "div",
      { class: "actions" },
      ...actions.map((action) =>
        button(ACTION_LABELS[action], () => runInstanceAction(provider, instance, action), {
          class: action === "authorize" || action === "unlock" ? "" : "secondary",
          disabled: busy || agent.state !== "running",
        }),
      ),
      busy && h("span", { class: "muted" }, "Working…"),
    ),
  );
}

function renderInstances(): void {
  for (const provider of providers) {
    const view = providerViews.get(provider.id);
    if (!view) continue;
    view.instances.replaceChildren(
      ...(provider.instances.length
        ? provider.instances.map((instance) => instanceCard(provider, instance))
        : [h("p", { class: "muted" }, "Not connected yet.")]),
    );
  }
}

// ---------------------------------------------------------------- forms

function renderMethods(provider: Provider, view: ProviderView): void {
  const group = h("div", { class: "methods", role: "radiogroup", "aria-label": "Authentication method" });
  for (const method of provider.authMethods) {
    const id = fieldId(provider.id, method.id, "__method");
    const radio = h("input", {
      type: "radio",
      name: `method-${provider.id}`,
      id,
      value: method.id,
      checked: method.id === view.methodId,
    });
    radio.addEventListener("change", () => {
      view.methodId = method.id;
      saveMethod(provider.id, method.id);
      renderForm(provider, view);
    });
    group.append(
      h(
        "label",
        { class: "method", for: id },
        radio,
        h("span", { class: "method-text" }, h("strong", {}, method.label), h("span", { class: "muted" }, method.description)),
      ),
    );
  }
  view.methods.replaceChildren(group);
}

function renderForm(
  provider: Provider,
  view: ProviderView,
  prefill: Record<string, string> = {},
  advancedInitial: AdvancedValues | undefined = undefined,
): void {
  const method = provider.authMethods.find((m) => m.id === view.methodId);
  if (!method) {
    view.formHost.replaceChildren();
    return;
  }
  const controls = controlsFor(method);
  const status = h("div", { class: "form-status", role: "alert" });
  // The webview is sandboxed without forms (enableForms: false), where a form's
  // submit event never fires: Connect is a plain button, and Enter is handled below.
  const submit = h("button", { type: "button" }, "Connect");
  const form = h("form", { class: "config-form", "aria-label": `Connect with ${method.label}`, novalidate: true });
  const consumerField = controls.find((c) => c.input === "text")?.label;
  // The public key appears right under the key field it belongs to.
  const keyBox = h("section", { class: "keybox", "aria-label": "Generated key", hidden: true });

  const inputOf = (name: string): HTMLInputElement | HTMLTextAreaElement | null =>
    form.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${CSS.escape(name)}"]`);
  const fieldErrorOf = (name: string): HTMLElement | null =>
    form.querySelector<HTMLElement>(`.field[data-field="${CSS.escape(name)}"] .field-error`);

  const clearErrors = (): void => {
    for (const element of form.querySelectorAll("[aria-invalid]")) element.removeAttribute("aria-invalid");
    for (const element of form.querySelectorAll<HTMLElement>(".field-error")) {
      element.hidden = true;
      element.replaceChildren();
    }
    advanced.clearErrors();
    status.replaceChildren();
  };

  const generate = (): void => {
    status.replaceChildren(h("span", { class: "muted" }, "Generating a key pair…"));
    request(
      (requestId) => ({ type: "generateKey", requestId }),
      (message) => {
        status.replaceChildren();
        if (!message.ok) {
          status.replaceChildren(...failureText(message.failure));
          return;
        }
        if (message.value.action !== "generateKey") return;
        const key = message.value.key;
        const keyInput = form.querySelector<HTMLInputElement>(".inline input");
        if (keyInput) keyInput.value = key.keyId;
        keyBox.hidden = false;
        keyBox.replaceChildren(...keyBoxContent(key, consumerField, (text) => send({ type: "copy", text })));
        keyBox.scrollIntoView({ block: "nearest" });
      },
    );
  };

  // The admin's part comes first: where the agent's installation has a guide for
  // this method, a link to it (opened in the editor by the host, never navigated to here).
  const guide = guideOf(method);
  if (guide) {
    form.append(
      h(
        "p",
        { class: "guide-note muted" },
        "Your tracker's admin sets this up once. ",
        button("Open the admin guide", () => send({ type: "openGuide", providerId: provider.id, methodId: method.id }), {
          class: "link",
          "data-role": "guide",
        }),
      ),
    );
  }
  // What the admin registers for an OAuth 2.0 client: the redirect URI as the form holds it now.
  const redirectNote = h("div", { class: "redirect-note", "data-role": "redirect-to-register", role: "status", hidden: true });
  const showRedirect = (): void => {
    const values: Record<string, string> = {};
    for (const control of controls) values[control.name] = inputOf(control.name)?.value ?? "";
    const uri = redirectToRegister(controls, values);
    redirectNote.hidden = !uri;
    redirectNote.replaceChildren(
      ...(uri
        ? [
            h("span", {}, `Register this redirect URL in ${provider.name}'s link: `),
            h("code", { class: "url-text" }, uri),
            button("Copy", () => send({ type: "copy", text: uri }), { class: "secondary small" }),
          ]
        : []),
    );
  };
  for (const control of controls) {
    form.append(controlElement(provider, method, control, generate));
    if (control.input === "keyRef") form.append(keyBox);
    if (control.name === "redirectUri") form.append(redirectNote);
  }
  const advanced = new AdvancedSection(fieldId(provider.id, method.id, ""), advancedInitial);
  form.append(advanced.element, h("div", { class: "actions" }, submit), status);

  // Defaults first (a redirect URI, a scope), then what a Reconnect fills in.
  for (const [name, value] of Object.entries({ ...initialValues(controls), ...prefill })) {
    const input = inputOf(name);
    if (input) input.value = value;
  }
  inputOf("redirectUri")?.addEventListener("input", showRedirect);
  showRedirect();

  /** Shows a refused Connect once: beside the field it is about, else under the form. */
  const showFailure = (failure: AgentFailure): void => {
    const control = controlForFailure(controls, failure);
    const input = control ? inputOf(control.name) : null;
    const place = control ? fieldErrorOf(control.name) : null;
    // "configure" needs no button here: this form is where it happens.
    const buttons = actionButtons(failure, {
      generateKey: generate,
      retry: onSubmit,
    });
    const named = fieldNameOf(failure);
    if (advanced.has(named)) {
      advanced.showProblem(named, [...failureText(failure), ...(buttons ? [buttons] : [])]);
    } else if (control && input && place) {
      input.setAttribute("aria-invalid", "true");
      place.hidden = false;
      place.replaceChildren(...failureText(failure), ...(buttons ? [buttons] : []));
      input.focus();
    } else {
      status.replaceChildren(...failureText(failure), ...(buttons ? [buttons] : []));
    }
  };

  function onSubmit(): void {
    if (submit.disabled) return;
    const values: Record<string, string> = {};
    for (const control of controls) values[control.name] = inputOf(control.name)?.value ?? "";
    clearErrors();
    const missing = missingRequired(controls, values);
    if (missing.length) {
      status.replaceChildren(h("p", { class: "error" }, `Please fill in: ${missing.join(", ")}.`));
      return;
    }
    const advancedValues = advanced.values();
    const network = collectAdvanced(advancedValues);
    if (!network.ok) {
      for (const problem of network.problems) advanced.showProblem(problem.name, [h("span", {}, problem.message)]);
      return;
    }
    submit.disabled = true;
    submit.textContent = "Connecting…";
    status.replaceChildren(h("span", { class: "muted" }, "Checking the server and the credentials…"));
    request(
      (requestId) => ({
        type: "configure",
        requestId,
        providerId: provider.id,
        authMethod: method?.id ?? "",
        fields: collectFields(controls, values),
        ...network.params,
      }),
      (message) => {
        submit.disabled = false;
        submit.textContent = "Connect";
        status.replaceChildren();
        // A refused Connect keeps what was typed, secrets too: fixing a URL typo
        // must not cost the pasted token. A successful one empties the form; one
        // turned down (turning verification off, not confirmed) keeps it as well.
        const connected = message.ok && message.value.action !== "dismissed";
        const after = valuesAfterConnect(values, connected, controls);
        for (const control of controls) {
          const input = inputOf(control.name);
          if (input) input.value = after[control.name] ?? "";
        }
        showRedirect();
        advanced.set(advancedAfterConnect(advancedValues, connected));
        if (message.ok && message.value.action === "dismissed") {
          status.replaceChildren(h("p", { class: "muted" }, "Not connected: TLS verification was not turned off."));
          return;
        }
        if (!message.ok) {
          showFailure(message.failure);
          return;
        }
        if (message.value.action !== "configure") return;
        const instance = message.value.instance;
        // The key is registered now: its public half and the admin's steps are done with.
        keyBox.hidden = true;
        keyBox.replaceChildren();
        status.replaceChildren(
          h(
            "p",
            { class: "success" },
            instance.state === "connected"
              ? `Connected to ${instance.baseUrl}${instance.user ? ` as ${instance.user.displayName}` : ""}.`
              : `Saved ${instance.baseUrl}. Next: Authorize it above.`,
          ),
        );
      },
    );
  }
  submit.addEventListener("click", onSubmit);
  form.addEventListener("keydown", (event) => {
    const target = event.target as HTMLElement;
    if (event.key === "Enter" && target.tagName === "INPUT") {
      event.preventDefault();
      onSubmit();
    }
  });
  view.formHost.replaceChildren(form);
}

function showFormFor(provider: Provider, instance: Instance, options: { generateKey?: boolean } = {}): void {
  const view = providerViews.get(provider.id);
  const method = provider.authMethods.find((m) => m.id === instance.authMethod);
  if (!view || !method) return;
  view.methodId = method.id;
  saveMethod(provider.id, method.id);
  openProviderForm(provider.id);
  renderMethods(provider, view);
  renderForm(provider, view, prefillFor(instance, controlsFor(method)), advancedValuesOf(instance.http, instance.insecure === true));
  view.formHost.scrollIntoView({ block: "nearest" });
  if (options.generateKey) {
    view.formHost.querySelector<HTMLButtonElement>(".inline button")?.click();
    return;
  }
  view.formHost.querySelector<HTMLElement>("input[type=password], textarea")?.focus();
}

function ensureProviderView(provider: Provider): ProviderView {
  const signature = JSON.stringify(provider.authMethods);
  let view = providerViews.get(provider.id);
  if (!view) {
    const instances = h("div", { class: "instances" });
    const methods = h("div");
    const formHost = h("div");
    const heading = h("h2", {}, provider.name);
    const connectHeading = h("h3", {}, `Connect to ${provider.name}`);
    const connectOther = button(`Connect to ${provider.name}…`, () => openProviderForm(provider.id), {
      class: "secondary connect-other",
    });
    const section = h("section", { class: "provider", "data-provider-id": provider.id, "aria-label": provider.name });
    const saved = savedState().methods[provider.id];
    view = {
      section,
      heading,
      connectHeading,
      connectOther,
      instances,
      methods,
      formHost,
      methodId: saved ?? provider.authMethods[0]?.id,
      methodsSignature: "",
    };
    providerViews.set(provider.id, view);
  }
  // Rebuild the form only when the agent describes it differently, so a state
  // update never wipes what the user is typing.
  if (view.methodsSignature !== signature) {
    view.methodsSignature = signature;
    if (!provider.authMethods.some((m) => m.id === view?.methodId)) view.methodId = provider.authMethods[0]?.id;
    renderMethods(provider, view);
    renderForm(provider, view);
  }
  return view;
}

// One provider's form is open at a time (the first provider's, until another's
// "Connect to …" is chosen); the others show their instances and that button, so a
// panel of many trackers stays short and each form is the only one on the page.
let openFormProviderId: string | undefined;

function openProviderForm(providerId: string): void {
  if (openFormProviderId === providerId) return;
  openFormProviderId = providerId;
  render();
  providerViews.get(providerId)?.connectHeading.scrollIntoView({ block: "nearest" });
}

function layOut(provider: Provider, view: ProviderView): HTMLElement {
  const open = (openFormProviderId ?? providers[0]?.id) === provider.id;
  view.section.replaceChildren(
    view.heading,
    view.instances,
    ...(open ? [view.connectHeading, view.methods, view.formHost] : [view.connectOther]),
  );
  return view.section;
}

function render(): void {
  renderHeader();
  const sections = providers.map((provider) => layOut(provider, ensureProviderView(provider)));
  const known = new Set(providers.map((p) => p.id));
  for (const id of [...providerViews.keys()]) if (!known.has(id)) providerViews.delete(id);
  app.replaceChildren(
    header,
    banner,
    storageNote,
    ...(sections.length || agent.state !== "running" ? sections : [h("p", { class: "muted" }, "The agent offers no providers.")]),
  );
  renderInstances();
}

window.addEventListener("message", (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (message.type === "state") {
    agent = message.agent;
    providers = message.providers;
    workspaceOpen = message.workspaceOpen;
    secretFileNote = message.secretFileNote;
    render();
  } else if (message.type === "result") {
    const handler = pending.get(message.requestId);
    pending.delete(message.requestId);
    handler?.(message);
  }
});

send({ type: "ready" });
