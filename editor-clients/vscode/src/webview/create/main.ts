// The create form, running inside the webview: one control per field the
// agent described (required ones marked, choices from `allowedValues`),
// checked before sending; Jira's per-field errors shown beside their fields.
// Everything goes in as text; the webview never talks to the agent itself.
import { collectValues, inputFor, placeFieldErrors, type RawValue } from "../../create/createModel";
import type { CreateHostMessage, CreateMessage, FormDescription } from "../../create/messages";
import type { AgentFailure } from "../../errors";
import type { FormField, Issue } from "../../protocol";
import { connect } from "../bridge";
import { button, h } from "../dom";
import { failureText } from "../failure";

type ResultMessage = Extract<CreateHostMessage, { type: "result" }>;

const bridge = connect<CreateMessage, ResultMessage>();
const app = document.getElementById("app") as HTMLElement;
let form: FormDescription | undefined;

function controlId(field: FormField): string {
  return `field-${field.name}`.replace(/[^A-Za-z0-9_-]/g, "_");
}

function control(field: FormField): HTMLElement {
  const id = controlId(field);
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const common = {
    id,
    name: field.name,
    required: field.required,
    "aria-required": field.required ? "true" : undefined,
    "aria-describedby": field.help ? `${helpId} ${errorId}` : errorId,
  };
  const input = inputFor(field);
  let element: HTMLElement;
  switch (input) {
    case "textarea":
      element = h("textarea", { ...common, rows: 6 });
      break;
    case "select":
      element = h(
        "select",
        common,
        h("option", { value: "" }, field.required ? "Choose…" : "None"),
        ...(field.allowedValues ?? []).map((option) => h("option", { value: option.id }, option.label)),
      );
      break;
    case "checkboxes":
      element = h(
        "div",
        { class: "choices", role: "group", "aria-labelledby": `${id}-label`, "data-name": field.name, "aria-describedby": errorId },
        ...(field.allowedValues ?? []).map((option) => {
          const optionId = `${id}-${option.id}`.replace(/[^A-Za-z0-9_-]/g, "_");
          return h(
            "label",
            { class: "choice", for: optionId },
            h("input", { type: "checkbox", id: optionId, name: field.name, value: option.id }),
            option.label,
          );
        }),
      );
      break;
    case "number":
      element = h("input", { ...common, type: "number", step: "any" });
      break;
    case "date":
      element = h("input", { ...common, type: "date" });
      break;
    case "labels":
      element = h("input", { ...common, type: "text", placeholder: "label-one, label-two", autocomplete: "off" });
      break;
    case "user":
      element = h("input", { ...common, type: "text", placeholder: "User name", autocomplete: "off", spellcheck: "false" });
      break;
    default:
      element = h("input", { ...common, type: "text", autocomplete: "off" });
  }
  const label =
    input === "checkboxes"
      ? h("span", { class: "label", id: `${id}-label` }, field.label)
      : h("label", { for: id, id: `${id}-label` }, field.label);
  if (field.required) label.append(h("span", { class: "required", "aria-hidden": "true" }, " *"));
  return h(
    "div",
    { class: "field", "data-field": field.name },
    label,
    element,
    field.help && h("div", { class: "help muted", id: helpId }, field.help),
    h("div", { class: "field-error", id: errorId, role: "alert", hidden: true }),
  );
}

function rawValues(host: HTMLElement, fields: readonly FormField[]): Record<string, RawValue> {
  const values: Record<string, RawValue> = {};
  for (const field of fields) {
    const place = host.querySelector<HTMLElement>(`.field[data-field="${CSS.escape(field.name)}"]`);
    if (!place) continue;
    if (inputFor(field) === "checkboxes") {
      values[field.name] = [...place.querySelectorAll<HTMLInputElement>("input[type=checkbox]:checked")].map((box) => box.value);
    } else {
      values[field.name] = place.querySelector<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(`#${controlId(field)}`)?.value ?? "";
    }
  }
  return values;
}

/** The starting values of text fields (create from a comment: its summary and description). */
function fillInitial(host: HTMLElement, description: FormDescription): void {
  for (const field of description.fields) {
    const value = description.initial?.[field.name];
    const input = inputFor(field);
    if (value === undefined || (input !== "text" && input !== "textarea")) continue;
    const element = host.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#${controlId(field)}`);
    if (element) element.value = value;
  }
}

function renderForm(description: FormDescription): void {
  const fieldsHost = h("div", { class: "fields" }, ...description.fields.map(control));
  fillInitial(fieldsHost, description);
  const status = h("div", { class: "form-status", role: "alert" });
  const submit = h("button", { type: "button" }, "Create");

  const clearErrors = (): void => {
    for (const element of fieldsHost.querySelectorAll("[aria-invalid]")) element.removeAttribute("aria-invalid");
    for (const element of fieldsHost.querySelectorAll<HTMLElement>(".field-error")) {
      element.hidden = true;
      element.replaceChildren();
    }
    status.replaceChildren();
  };

  const showBeside = (beside: Record<string, string>): void => {
    let first: HTMLElement | undefined;
    for (const [name, message] of Object.entries(beside)) {
      const place = fieldsHost.querySelector<HTMLElement>(`.field[data-field="${CSS.escape(name)}"]`);
      const error = place?.querySelector<HTMLElement>(".field-error");
      const input = place?.querySelector<HTMLElement>("input, select, textarea, .choices");
      if (!place || !error) continue;
      error.hidden = false;
      error.replaceChildren(h("p", { class: "error" }, message));
      input?.setAttribute("aria-invalid", "true");
      first ??= input ?? undefined;
    }
    first?.focus();
  };

  const showFailure = (failure: AgentFailure): void => {
    if (failure.fieldErrors) {
      const { beside, rest } = placeFieldErrors(description.fields, failure.fieldErrors);
      showBeside(beside);
      // The agent's summary once, and any error of a field the form does not show.
      status.replaceChildren(...failureText(failure), ...rest.map((text) => h("p", { class: "error" }, text)));
      return;
    }
    status.replaceChildren(...failureText(failure));
  };

  const onSubmit = (): void => {
    if (submit.disabled) return;
    clearErrors();
    const { fields, problems } = collectValues(description.fields, rawValues(fieldsHost, description.fields));
    if (Object.keys(problems).length) {
      showBeside(problems);
      status.replaceChildren(h("p", { class: "error" }, "Please fix the fields marked above."));
      return;
    }
    submit.disabled = true;
    submit.textContent = "Creating…";
    bridge.request(
      (requestId) => ({ type: "create", requestId, fields }),
      (result) => {
        submit.disabled = false;
        submit.textContent = "Create";
        if (result.ok) renderCreated(result.issue);
        else showFailure(result.failure);
      },
    );
  };
  submit.addEventListener("click", onSubmit);

  app.replaceChildren(
    h(
      "header",
      { class: "issue-header" },
      h("h1", {}, `New ${description.issueTypeName}`),
      h("p", { class: "muted" }, `${description.projectKey} · ${description.projectName} · ${description.instanceLabel}`),
    ),
    h("p", { class: "muted" }, "Fields marked ", h("span", { class: "required" }, "*"), " are required."),
    h("form", { class: "create-form", "aria-label": `New ${description.issueTypeName} in ${description.projectKey}`, novalidate: true }, fieldsHost),
    h("div", { class: "actions" }, submit),
    status,
  );
}

function renderCreated(issue: Issue): void {
  app.replaceChildren(
    h(
      "section",
      { class: "card created", "aria-label": "Created" },
      h("p", { class: "success" }, "Created ", h("strong", { "data-field": "created-key" }, issue.key), `: ${issue.title}`),
      h(
        "div",
        { class: "actions" },
        button("Open", () => bridge.send({ type: "openCreated", key: issue.key })),
        button("Copy Key", () => bridge.send({ type: "copy", text: issue.key }), { class: "secondary" }),
        // Another issue starts empty, not with the first one's starting values.
        button("Create Another", () => form && renderForm({ ...form, initial: undefined }), { class: "secondary" }),
      ),
    ),
  );
}

window.addEventListener("message", (event: MessageEvent<CreateHostMessage>) => {
  const message = event.data;
  if (message.type === "form") {
    const { type: _type, ...description } = message;
    form = description;
    renderForm(description);
  } else if (message.type === "result") {
    bridge.settle(message);
  }
});

bridge.send({ type: "ready" });
