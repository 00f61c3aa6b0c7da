import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { describeExit, RestartBudget, TailBuffer } from "../src/agent/crashPolicy";
import { bundledLibsDir, planFromCommand, planFromPython } from "../src/agent/launchPlan";
import { judge, noPythonMessage, parseProbe } from "../src/agent/pythonProbe";
import { agentOptions, issuesLimit, launchSettings, type SettingsReader } from "../src/agent/settings";

function reader(values: Record<string, unknown>): SettingsReader {
  return { get: <T>(key: string) => values[key] as T | undefined };
}

describe("settings", () => {
  test("only settings the user set reach the agent, with wire names", () => {
    assert.deepEqual(agentOptions(reader({ storageDir: "", "http.proxy": "", "http.timeoutSeconds": 30 })), {
      http: { timeoutSeconds: 30 },
    });
    assert.deepEqual(
      agentOptions(reader({ storageDir: " /tmp/s ", "http.caBundle": "/ca.pem", "http.clientCertificate": "/c.pem", "http.proxy": "http://p:3128" })),
      { storageDir: "/tmp/s", http: { caBundle: "/ca.pem", clientCertificate: "/c.pem", proxy: "http://p:3128" } },
    );
    assert.deepEqual(agentOptions(reader({ "http.timeoutSeconds": -1 })), {});
    assert.deepEqual(
      agentOptions(reader({ "http.clientKey": " /k.pem ", "http.useSystemTrustStore": false })),
      { http: { clientKey: "/k.pem", useSystemTrustStore: false } },
    );
    // The default (true) is the agent's too: not sent.
    assert.deepEqual(agentOptions(reader({ "http.useSystemTrustStore": true })), {});
  });

  test("the log level goes to the agent as initializationOptions.logLevel", () => {
    assert.deepEqual(agentOptions(reader({ "agent.logLevel": "debug" })), { logLevel: "debug" });
    assert.deepEqual(agentOptions(reader({ "agent.logLevel": "verbose" })), {});
  });

  test("the branch template goes to the agent as initializationOptions.issues.branchTemplate", () => {
    assert.deepEqual(agentOptions(reader({ "issues.branchTemplate": " feature/{key}-{summary} " })), {
      issues: { branchTemplate: "feature/{key}-{summary}" },
    });
    assert.deepEqual(agentOptions(reader({ "issues.branchTemplate": "", "issues.limit": 50 })), {});
  });

  test("launch settings and the issues limit", () => {
    assert.deepEqual(launchSettings(reader({ "agent.command": ["issuebridge-agent", "", "--stdio"], "agent.pythonPath": " " })), {
      command: ["issuebridge-agent", "--stdio"],
      pythonPath: "",
      logLevel: "info",
    });
    assert.equal(issuesLimit(reader({ "issues.limit": 50 })), 50);
    assert.equal(issuesLimit(reader({ "issues.limit": 0 })), 500);
    assert.equal(issuesLimit(reader({})), 500);
  });
});

describe("how the agent is started", () => {
  test("a command setting is used as is", () => {
    const plan = planFromCommand(["/opt/ib/bin/issuebridge-agent", "--stdio"], "debug");
    assert.equal(plan.command, "/opt/ib/bin/issuebridge-agent");
    assert.deepEqual(plan.args, ["--stdio"]);
    assert.equal(plan.env.ISSUEBRIDGE_LOG, "debug");
  });

  test("python -m agent, with the bundled libraries first on PYTHONPATH", () => {
    const libs = bundledLibsDir("/ext");
    assert.equal(libs, path.join("/ext", "bundled", "libs"));
    const plan = planFromPython("/usr/bin/python3", "info", libs, "/other");
    assert.deepEqual(plan.args, ["-m", "agent", "--stdio"]);
    assert.equal(plan.env.PYTHONPATH, [libs, "/other"].join(path.delimiter));
    assert.equal(plan.env.PYTHONNOUSERSITE, "1");
    assert.equal(planFromPython("python3", "info", undefined, "/other").env.PYTHONPATH, undefined);
  });

  test("the probe's answer is parsed and judged", () => {
    const ok = parseProbe('noise\n{"version": [3, 12, 1], "executable": "/usr/bin/python3", "agent": true}\n');
    assert.deepEqual(ok, { version: [3, 12, 1], executable: "/usr/bin/python3", agent: true });
    assert.deepEqual(judge("python3", ok), { ok: true });
    const old = judge("python3", { version: [3, 9, 2], executable: "", agent: false });
    assert.equal(old.ok ? "" : old.problem, "tooOld");
    const missing = judge("python3", { version: [3, 11, 7], executable: "", agent: false });
    assert.equal(missing.ok ? "" : missing.problem, "noAgent");
    const absent = judge("python3", parseProbe(""));
    assert.equal(absent.ok ? "" : absent.problem, "notFound");
  });

  test("the no-Python message says what was tried and how to fix it", () => {
    const message = noPythonMessage(["python3 is Python 3.9.2; issuebridge needs 3.11 or later"]);
    assert.match(message, /Tried: python3 is Python 3\.9\.2/);
    assert.match(message, /Install Python 3\.11 or later/);
    assert.match(noPythonMessage(["python3 (Python 3.11.7) cannot import the issuebridge agent"]), /pip install issuebridge/);
  });
});

describe("crashes", () => {
  test("restarts are allowed a few times in a window, then stop", () => {
    const budget = new RestartBudget(2, 1000);
    assert.equal(budget.allowRestart(0), true);
    assert.equal(budget.allowRestart(10), true);
    assert.equal(budget.allowRestart(20), false);
    assert.equal(budget.allowRestart(2000), true); // the window moved on
  });

  test("the reason names the exit and the last stderr line", () => {
    const tail = new TailBuffer(3);
    tail.push("Traceback (most recent call last):\n  File x\nModuleNot");
    tail.push("FoundError: No module named 'httpx'\n");
    assert.equal(describeExit({ code: 1, signal: null }, tail.text()), "exit code 1: ModuleNotFoundError: No module named 'httpx'");
    assert.equal(describeExit({ code: null, signal: "SIGKILL" }, ["2026-11-30 03:52:11,161 DEBUG x: POST -> 200"]), "killed by SIGKILL");
    assert.equal(
      describeExit({ code: 1, signal: null }, ["OSError: [Errno 28] No space left", "2026-11-30 03:52:11,161 INFO issuebridge: stopping"]),
      "exit code 1: OSError: [Errno 28] No space left",
    );
    assert.equal(describeExit(undefined, []), "connection closed");
    assert.equal(tail.text().length, 3);
  });
});
