// DOM for one form control and for the generated-key box. Built from the
// agent's field descriptions only; text goes in as text, never as HTML.
import type { AuthMethod, KeysGenerateResult, Provider } from "../protocol";
import { button, h } from "./dom";
import type { Control } from "./formModel";

/** Stable, unique element ids: labels point at inputs, tests find them by label. */
export function fieldId(providerId: string, methodId: string, name: string): string {
  return `f-${providerId}-${methodId}-${name}`.replace(/[^A-Za-z0-9_-]/g, "_");
}

export function controlElement(provider: Provider, method: AuthMethod, control: Control, onGenerate: () => void): HTMLElement {
  const id = fieldId(provider.id, method.id, control.name);
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const common = {
    id,
    name: control.name,
    required: control.required,
    // The error (when there is one) is read out with the field.
    "aria-describedby": control.help ? `${helpId} ${errorId}` : errorId,
    autocomplete: "off",
    spellcheck: "false",
  };
  let input: HTMLElement;
  switch (control.input) {
    case "textarea":
      input = h("textarea", { ...common, rows: 6, class: "secret-text" });
      break;
    case "password":
      input = h("input", { ...common, type: "password" });
      break;
    case "url":
      input = h("input", { ...common, type: "url", placeholder: "https://" });
      break;
    case "keyRef":
      input = h(
        "div",
        { class: "inline" },
        h("input", { ...common, type: "text" }),
        button("Generate key pair", onGenerate, { class: "secondary" }),
      );
      break;
    default:
      input = h("input", { ...common, type: "text" });
  }
  return h(
    "div",
    { class: "field", "data-field": control.name },
    h("label", { for: id }, control.label, control.required ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null),
    input,
    control.help && h("div", { class: "help muted", id: helpId }, control.help),
    h("div", { class: "field-error", id: errorId, role: "alert", hidden: true }),
  );
}

export function keyBoxContent(
  key: KeysGenerateResult,
  consumerField: string | undefined,
  onCopy: (text: string) => void,
): HTMLElement[] {
  const pem = h("pre", { class: "pem", "aria-label": "Public key", tabindex: 0 }, key.publicKeyPem);
  return [
    h("h4", {}, "Public key"),
    pem,
    h(
      "div",
      { class: "actions" },
      button("Copy public key", () => onCopy(key.publicKeyPem)),
    ),
    h("p", {}, "Steps for the administrator of the tracker:"),
    h(
      "ol",
      {},
      h("li", {}, "Copy the public key above and send it to the administrator (it is not a secret; the private key never leaves the agent)."),
      h(
        "li",
        {},
        consumerField
          ? `The administrator registers it as the public key of an incoming link whose consumer key is the one you enter in "${consumerField}".`
          : "The administrator registers it as the public key of an incoming link for this application.",
      ),
      h("li", {}, "Then press Connect here, and Authorize: your browser opens the tracker to allow access."),
    ),
  ];
}
