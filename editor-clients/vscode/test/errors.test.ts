import assert from "node:assert/strict";
import { test } from "node:test";
import { describeFailure, formFieldOf, toFailure } from "../src/errors";

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

test("the form field of an invalidParams error", () => {
  const failure = toFailure({ code: -32602, message: "Not a URL", data: { kind: "invalidParams", field: "fields.baseUrl" } });
  assert.equal(formFieldOf(failure), "baseUrl");
  assert.equal(formFieldOf(toFailure({ code: -32602, message: "x", data: { kind: "invalidParams", field: "instanceId" } })), undefined);
});
