import assert from "node:assert/strict";
import { test } from "node:test";
import { AgentLogRouter, visibleLine } from "../src/agent/agentLog";

test("the agent's debug lines reach the channel; its info lines come through logMessage instead", () => {
  const router = new AgentLogRouter();
  const lines = router.push(
    "2026-12-01 21:28:50,432 INFO issuebridge: Storage dir: /tmp/x\n" +
      "2026-12-01 21:28:50,460 DEBUG issuebridge.rpc: Ignoring notification foo\n" +
      "2026-12-01 21:28:50,461 WARNING pygls.protocol: odd\n2026-12-01 21:28:50,462 ERR",
  );
  assert.deepEqual(lines, [
    { level: "trace", text: "issuebridge: Storage dir: /tmp/x" },
    { level: "debug", text: "issuebridge.rpc: Ignoring notification foo" },
    { level: "warn", text: "pygls.protocol: odd" },
  ]);
  // The partial line waits for the rest; a traceback follows its record's level.
  assert.deepEqual(router.push("OR issuebridge: boom\nTraceback (most recent call last):\n"), [
    { level: "trace", text: "issuebridge: boom" },
    { level: "error", text: "Traceback (most recent call last):" },
  ]);
});

test("debug lines show even when the channel stays at its default level (info)", () => {
  const line = { level: "debug" as const, text: "issuebridge.rpc: x" };
  assert.deepEqual(visibleLine(line, 3), { level: "info", text: "[debug] issuebridge.rpc: x" });
  assert.deepEqual(visibleLine(line, 2), line);
  assert.deepEqual(visibleLine({ level: "warn", text: "w" }, 3), { level: "warn", text: "w" });
});
