import assert from "node:assert/strict";
import { test } from "node:test";
import { summarize } from "../src/status/summary";
import { instance } from "./fixtures";

test("status bar while the agent starts, fails, or has nothing configured", () => {
  assert.equal(summarize("starting", undefined, []).text, "$(sync~spin) issuebridge");
  const failed = summarize("failed", "exit code 1: boom", []);
  assert.equal(failed.severity, "error");
  assert.match(failed.tooltip, /exit code 1: boom/);
  assert.equal(summarize("running", undefined, []).text, "$(plug) issuebridge: not connected");
});

test("status bar reports the worst connection state", () => {
  assert.equal(summarize("running", undefined, [instance()]).text, "$(check) issuebridge: 1 connected");
  const waiting = summarize("running", undefined, [instance(), instance({ instanceId: "x", state: "needsAuthorization" })]);
  assert.equal(waiting.text, "$(warning) issuebridge: 1 to authorize");
  assert.equal(waiting.severity, "warning");
  const broken = summarize("running", undefined, [instance({ state: "error", error: "TLS" })]);
  assert.equal(broken.severity, "error");
  assert.match(broken.tooltip, /TLS/);
});
