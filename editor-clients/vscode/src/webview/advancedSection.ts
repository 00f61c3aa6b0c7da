// DOM of the connect form's collapsed "Advanced" section (advancedModel.ts says
// what it holds and sends). Text goes in as text, never as HTML.
import { ADVANCED_CONTROLS, type AdvancedControl, type AdvancedName, type AdvancedValues } from "./advancedModel";
import { h } from "./dom";

export class AdvancedSection {
  readonly element: HTMLDetailsElement;
  private readonly inputs = new Map<AdvancedName, HTMLInputElement>();
  private readonly errors = new Map<AdvancedName, HTMLElement>();

  /** `initial`: the reconnected instance's own settings (`advancedValuesOf`); the
   * section then starts open, filled in with them. */
  constructor(
    private readonly idPrefix: string,
    initial: AdvancedValues | undefined,
  ) {
    this.element = h("details", { class: "advanced" }, h("summary", {}, "Advanced"));
    this.element.append(
      h(
        "p",
        { class: "help muted" },
        "This server's own network settings, over the issuebridge.http.* settings. Connect replaces all the server had: left empty, only the global ones apply.",
      ),
    );
    for (const control of ADVANCED_CONTROLS) this.element.append(this.field(control));
    if (initial) {
      this.set(initial);
      this.element.open = true;
    }
  }

  private field(control: AdvancedControl): HTMLElement {
    const id = `${this.idPrefix}-adv-${control.name}`.replace(/[^A-Za-z0-9_-]/g, "_");
    const input = h("input", {
      id,
      name: `advanced.${control.name}`,
      type: control.input,
      autocomplete: "off",
      spellcheck: "false",
      "aria-describedby": `${id}-help ${id}-error`,
      ...(control.placeholder ? { placeholder: control.placeholder } : {}),
      ...(control.input === "number" ? { min: "1", step: "any" } : {}),
    });
    this.inputs.set(control.name, input);
    const error = h("div", { class: "field-error", id: `${id}-error`, role: "alert", hidden: true });
    this.errors.set(control.name, error);
    const help = h("div", { class: control.name === "insecureSkipVerify" ? "help warning-text" : "help muted", id: `${id}-help` }, control.help);
    if (control.input === "checkbox") {
      return h(
        "div",
        { class: "field checkbox-field", "data-field": `advanced.${control.name}` },
        h("label", { for: id, class: "checkbox" }, input, ` ${control.label}`),
        help,
        error,
      );
    }
    return h("div", { class: "field", "data-field": `advanced.${control.name}` }, h("label", { for: id }, control.label), input, help, error);
  }

  values(): AdvancedValues {
    const text: Partial<Record<AdvancedName, string>> = {};
    for (const [name, input] of this.inputs) if (input.type !== "checkbox") text[name] = input.value;
    return { text, insecureSkipVerify: this.inputs.get("insecureSkipVerify")?.checked ?? false };
  }

  set(values: AdvancedValues): void {
    for (const [name, input] of this.inputs) {
      if (input.type === "checkbox") input.checked = values.insecureSkipVerify;
      else input.value = values.text[name] ?? "";
    }
  }

  has(name: string | undefined): name is AdvancedName {
    return name !== undefined && this.inputs.has(name as AdvancedName);
  }

  clearErrors(): void {
    for (const input of this.inputs.values()) input.removeAttribute("aria-invalid");
    for (const error of this.errors.values()) {
      error.hidden = true;
      error.replaceChildren();
    }
  }

  /** A problem beside its field; the section opens to show it. */
  showProblem(name: AdvancedName, content: Node[]): void {
    const input = this.inputs.get(name);
    const error = this.errors.get(name);
    if (!input || !error) return;
    this.element.open = true;
    input.setAttribute("aria-invalid", "true");
    error.hidden = false;
    error.replaceChildren(...content);
    input.focus();
  }
}
