import assert from "node:assert/strict";
import { test } from "node:test";
import { collectValues, inputFor, placeFieldErrors, splitLabels } from "../src/create/createModel";
import type { FormField } from "../src/protocol";

const severity: FormField = {
  name: "customfield_10100",
  label: "Severity",
  kind: "select",
  required: true,
  allowedValues: [
    { id: "10200", label: "Critical" },
    { id: "10201", label: "Minor" },
  ],
};
const platforms: FormField = {
  name: "customfield_10101",
  label: "Platforms",
  kind: "multiSelect",
  required: false,
  allowedValues: [
    { id: "1", label: "Linux" },
    { id: "2", label: "macOS" },
  ],
};
const form: FormField[] = [
  { name: "summary", label: "Summary", kind: "text", required: true },
  { name: "description", label: "Description", kind: "multilineText", required: false },
  severity,
  platforms,
  { name: "customfield_10102", label: "Story points", kind: "number", required: false },
  { name: "duedate", label: "Due date", kind: "date", required: false },
  { name: "assignee", label: "Assignee", kind: "user", required: false },
  { name: "labels", label: "Labels", kind: "labels", required: false },
];

test("each field kind gets its control; an unknown kind a line of text", () => {
  assert.deepEqual(
    form.map((field) => inputFor(field)),
    ["text", "textarea", "select", "checkboxes", "number", "date", "user", "labels"],
  );
  assert.equal(inputFor({ kind: "url" }), "text");
});

test("values become issues/create fields: trimmed, parsed, split, empty ones left out", () => {
  const { fields, problems } = collectValues(form, {
    summary: "  Login fails  ",
    description: "  Steps:\n1. open\n",
    customfield_10100: "10200",
    customfield_10101: ["2", "9"],
    customfield_10102: "3.5",
    duedate: "2026-04-01",
    assignee: "",
    labels: "backend, login  backend",
  });
  assert.deepEqual(problems, {});
  assert.deepEqual(fields, {
    summary: "Login fails",
    description: "  Steps:\n1. open\n",
    customfield_10100: "10200",
    customfield_10101: ["2"], // an id the field does not allow is dropped
    customfield_10102: 3.5,
    duedate: "2026-04-01",
    labels: ["backend", "login"],
  });
});

test("required fields left empty and numbers that are not are named before sending", () => {
  const { fields, problems } = collectValues(form, { summary: " ", customfield_10100: "", customfield_10102: "three" });
  assert.deepEqual(problems, {
    summary: "Summary is required.",
    customfield_10100: "Severity is required.",
    customfield_10102: "Enter a number.",
  });
  assert.deepEqual(fields, {});
  assert.deepEqual(collectValues([{ ...platforms, required: true }], { customfield_10101: [] }).problems, {
    customfield_10101: "Platforms is required.",
  });
});

test("Jira's field errors go beside their fields; unknown ones under the form", () => {
  assert.deepEqual(placeFieldErrors(form, { customfield_10100: "Severity is required.", components: "Component/s is required." }), {
    beside: { customfield_10100: "Severity is required." },
    rest: ["components: Component/s is required."],
  });
  assert.deepEqual(splitLabels(" a,b  c,,a "), ["a", "b", "c"]);
});

test("create messages from the webview are checked before use", async () => {
  const { parseCreateMessage } = await import("../src/create/messages");
  assert.deepEqual(parseCreateMessage({ type: "create", requestId: 1, fields: { summary: "x", n: 3, labels: ["a"] } }), {
    type: "create",
    requestId: 1,
    fields: { summary: "x", n: 3, labels: ["a"] },
  });
  assert.equal(parseCreateMessage({ type: "create", requestId: 1, fields: { n: Number.NaN } }), undefined);
  assert.equal(parseCreateMessage({ type: "create", requestId: 1, fields: { x: { id: "1" } } }), undefined);
  assert.equal(parseCreateMessage({ type: "create", requestId: 1, fields: [] }), undefined);
  assert.equal(parseCreateMessage({ type: "openCreated", key: "" }), undefined);
  assert.deepEqual(parseCreateMessage({ type: "ready" }), { type: "ready" });
});
