// An agent error as the webviews show it: its message and, when it adds
// anything, its hint, each said once and as text.
import { extraHint, type AgentFailure } from "../errors";
import { h } from "./dom";

export function failureText(failure: AgentFailure): HTMLElement[] {
  const hint = extraHint(failure);
  return [
    h("p", { class: failure.kind === "cancelled" ? "muted" : "error", "data-kind": failure.kind }, failure.message),
    ...(hint ? [h("p", { class: "hint" }, hint)] : []),
  ];
}
