import assert from "node:assert/strict";
import { test } from "node:test";
import { describeFailure, extraHint, fieldNameOf, toFailure } from "../src/errors";

test("an agent error keeps its message, kind, hint and field", () => {
  const failure = toFailure({
    code: -32001,
    message: "Jira rejected the personal access token: it is wrong, expired or revoked.",
    data: { kind: "authenticationFailed", hint: "Create a new token in Jira.", httpStatus: 401 },
  });
  assert.equal(failure.kind, "authenticationFailed");
  assert.equal(failure.code, -32001);
  assert.equal(describeFailure(failure), "Jira rejected the personal access token: it is wrong, expired or revoked. Create a new token in Jira.");
});

test("the kind falls back to the code, then to clientError", () => {
  assert.equal(toFailure({ code: -32800, message: "Request cancelled" }).kind, "cancelled");
  assert.equal(toFailure(new Error("socket hang up")).kind, "clientError");
  assert.equal(toFailure("weird").message, "weird");
});

test("the field of an error is the last segment of data.field (the Field's name)", () => {
  const failure = toFailure({ code: -32602, message: "Not a URL", data: { kind: "invalidParams", field: "fields.baseUrl" } });
  assert.equal(fieldNameOf(failure), "baseUrl");
  assert.equal(fieldNameOf(toFailure({ code: -32602, message: "x", data: { kind: "invalidParams", field: "verifier" } })), "verifier");
  assert.equal(fieldNameOf(toFailure({ code: -32003, message: "x", data: { kind: "unreachable" } })), undefined);
});

test("data.action and data.path come through; an action this client does not know is left out", () => {
  const failure = toFailure({
    code: -32002,
    message: "The instance is not authorized.",
    data: { kind: "notConnected", hint: "Authorize it in the browser.", action: "authorize" },
  });
  assert.equal(failure.action, "authorize");
  const repair = toFailure({ code: -32603, message: "Damaged", data: { kind: "internalError", action: "repairStorage", path: "/s/secrets.json" } });
  assert.equal(repair.action, "repairStorage");
  assert.equal(repair.path, "/s/secrets.json");
  assert.equal(toFailure({ code: -32004, message: "x", data: { kind: "remoteError", action: "launchRockets" } }).action, undefined);
});

test("a hint the message already says is not said twice", () => {
  const failure = toFailure({ code: -32003, message: "Could not connect. Check the port.", data: { kind: "unreachable", hint: "Check the port." } });
  assert.equal(extraHint(failure), undefined);
  assert.equal(describeFailure(failure), "Could not connect. Check the port.");
});

test("data.fieldErrors comes through as the agent wrote it, by field name", () => {
  const failure = toFailure({
    code: -32602,
    message: "Jira refused the issue: customfield_10100: Severity is required.",
    data: { kind: "invalidParams", field: "fields.customfield_10100", fieldErrors: { customfield_10100: "Severity is required.", bad: 5 } },
  });
  assert.deepEqual(failure.fieldErrors, { customfield_10100: "Severity is required." });
  assert.equal(toFailure({ code: -32602, message: "x", data: { kind: "invalidParams", fieldErrors: ["a"] } }).fieldErrors, undefined);
});
