// The Integrations panel, running inside the webview. It renders providers,
// instances and configuration forms from the data the host sends, and sends
// the user's actions back; it never talks to the agent or the network itself.
import type { AgentStatus } from "../agent/status";
import { describeFailure, formFieldOf } from "../errors";
import type { HostMessage, WebviewMessage } from "../panel/messages";
import type { Instance, Provider } from "../protocol";
import { button, h } from "./dom";
import { controlElement, fieldId, keyBoxContent } from "./formControls";
import {
  collectFields,
  controlsFor,
  instanceActions,
  missingRequired,
  prefillFor,
  type InstanceAction,
} from "./formModel";

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById("app") as HTMLElement;

interface ProviderView {
  section: HTMLElement;
  instances: HTMLElement;
  methods: HTMLElement;
  formHost: HTMLElement;
  methodId: string | undefined;
  methodsSignature: string;
}

let agent: AgentStatus = { state: "starting" };
let providers: Provider[] = [];
let workspaceOpen = false;
const providerViews = new Map<string, ProviderView>();
/** Results of instance actions (errors, a shared passphrase) shown on the instance's card. */
const cardNotes = new Map<string, { kind: "error" | "info"; text: string; copy?: string }>();
const busyInstances = new Set<string>();
let nextRequestId = 1;
const pending = new Map<number, (message: Extract<HostMessage, { type: "result" }>) => void>();

function send(message: WebviewMessage): void {
  vscode.postMessage(message);
}

function request(
  build: (requestId: number) => WebviewMessage,
  onResult: (message: Extract<HostMessage, { type: "result" }>) => void,
): void {
  const requestId = nextRequestId++;
  pending.set(requestId, onResult);
  send(build(requestId));
}

// ---------------------------------------------------------------- header

const header = h("header", { class: "header" });
const banner = h("div", { class: "banner", role: "alert", hidden: true });

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
  cardNotes.delete(id);
  busyInstances.add(id);
  renderInstances();
  const done = (message: Extract<HostMessage, { type: "result" }>): void => {
    busyInstances.delete(id);
    if (!message.ok) {
      if (message.failure.kind !== "cancelled") cardNotes.set(id, { kind: "error", text: describeFailure(message.failure) });
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
    case "authorize":
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

function instanceCard(provider: Provider, instance: Instance): HTMLElement {
  const method = provider.authMethods.find((m) => m.id === instance.authMethod);
  const busy = busyInstances.has(instance.instanceId);
  const meta = [
    instance.user ? `as ${instance.user.displayName}` : undefined,
    instance.serverVersion ? `version ${instance.serverVersion}` : undefined,
    method?.label ?? instance.authMethod,
  ].filter((part): part is string => Boolean(part));
  const note = cardNotes.get(instance.instanceId);
  const actions = instanceActions(instance, method).filter((action) => action !== "share" || workspaceOpen);
  return h(
    "article",
    { class: "card", "data-instance-id": instance.instanceId, "aria-label": instance.baseUrl },
    h(
      "div",
      { class: "card-title" },
      h("span", { class: "url" }, instance.baseUrl),
      h("span", { class: `badge state-${instance.state}` }, STATE_LABELS[instance.state]),
      instance.scope === "team" && h("span", { class: "badge team", title: "Configuration shared with the team" }, "Team"),
    ),
    h("div", { class: "muted" }, meta.join(" · ")),
    instance.error && h("p", { class: "error" }, instance.error),
    note &&
      h(
        "div",
        { class: note.kind === "error" ? "error note" : "info note", role: note.kind === "error" ? "alert" : "status" },
        h("span", {}, note.text),
        note.copy !== undefined && button("Copy", () => send({ type: "copy", text: note.copy ?? "" }), { class: "secondary small" }),
      ),
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

function renderForm(provider: Provider, view: ProviderView, prefill: Record<string, string> = {}): void {
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

  const generate = (): void => {
    status.replaceChildren(h("span", { class: "muted" }, "Generating a key pair…"));
    request(
      (requestId) => ({ type: "generateKey", requestId }),
      (message) => {
        status.replaceChildren();
        if (!message.ok) {
          status.replaceChildren(h("p", { class: "error" }, describeFailure(message.failure)));
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

  for (const control of controls) {
    form.append(controlElement(provider, method, control, generate));
    if (control.input === "keyRef") form.append(keyBox);
  }
  form.append(h("div", { class: "actions" }, submit), status);

  for (const [name, value] of Object.entries(prefill)) {
    const input = inputOf(name);
    if (input) input.value = value;
  }

  const onSubmit = (): void => {
    if (submit.disabled) return;
    const values: Record<string, string> = {};
    for (const control of controls) values[control.name] = inputOf(control.name)?.value ?? "";
    for (const element of form.querySelectorAll("[aria-invalid]")) element.removeAttribute("aria-invalid");
    const missing = missingRequired(controls, values);
    if (missing.length) {
      status.replaceChildren(h("p", { class: "error" }, `Please fill in: ${missing.join(", ")}.`));
      return;
    }
    // Secrets leave the page with this message and are wiped from the form at once.
    for (const control of controls) {
      const input = inputOf(control.name);
      if (control.secret && input) input.value = "";
    }
    submit.disabled = true;
    submit.textContent = "Connecting…";
    status.replaceChildren(h("span", { class: "muted" }, "Checking the server and the credentials…"));
    request(
      (requestId) => ({
        type: "configure",
        requestId,
        providerId: provider.id,
        authMethod: method.id,
        fields: collectFields(controls, values),
      }),
      (message) => {
        submit.disabled = false;
        submit.textContent = "Connect";
        if (!message.ok) {
          if (message.failure.kind === "cancelled") {
            status.replaceChildren(h("p", { class: "muted" }, "Cancelled."));
            return;
          }
          const field = formFieldOf(message.failure);
          if (field) inputOf(field)?.setAttribute("aria-invalid", "true");
          status.replaceChildren(h("p", { class: "error", "data-kind": message.failure.kind }, message.failure.message));
          if (message.failure.hint) status.append(h("p", { class: "hint" }, message.failure.hint));
          return;
        }
        if (message.value.action !== "configure") return;
        const instance = message.value.instance;
        for (const control of controls) {
          const input = inputOf(control.name);
          if (input) input.value = "";
        }
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
  };
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

function showFormFor(provider: Provider, instance: Instance): void {
  const view = providerViews.get(provider.id);
  const method = provider.authMethods.find((m) => m.id === instance.authMethod);
  if (!view || !method) return;
  view.methodId = method.id;
  renderMethods(provider, view);
  renderForm(provider, view, prefillFor(instance, controlsFor(method)));
  view.formHost.scrollIntoView({ block: "nearest" });
  view.formHost.querySelector<HTMLElement>("input[type=password], textarea")?.focus();
}

function ensureProviderView(provider: Provider): ProviderView {
  const signature = JSON.stringify(provider.authMethods);
  let view = providerViews.get(provider.id);
  if (!view) {
    const instances = h("div", { class: "instances" });
    const methods = h("div");
    const formHost = h("div");
    const section = h(
      "section",
      { class: "provider", "data-provider-id": provider.id, "aria-label": provider.name },
      h("h2", {}, provider.name),
      instances,
      h("h3", {}, `Connect to ${provider.name}`),
      methods,
      formHost,
    );
    view = { section, instances, methods, formHost, methodId: provider.authMethods[0]?.id, methodsSignature: "" };
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

function render(): void {
  renderHeader();
  const sections = providers.map((provider) => ensureProviderView(provider).section);
  const known = new Set(providers.map((p) => p.id));
  for (const id of [...providerViews.keys()]) if (!known.has(id)) providerViews.delete(id);
  app.replaceChildren(
    header,
    banner,
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
    render();
  } else if (message.type === "result") {
    const handler = pending.get(message.requestId);
    pending.delete(message.requestId);
    handler?.(message);
  }
});

send({ type: "ready" });
