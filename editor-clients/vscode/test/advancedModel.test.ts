import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { instanceDescription } from "../src/issues/grouping";
import { parseWebviewMessage } from "../src/panel/messages";
import {
  ADVANCED_CONTROLS,
  advancedAfterConnect,
  advancedIsEmpty,
  advancedValuesOf,
  collectAdvanced,
  type AdvancedValues,
} from "../src/webview/advancedModel";
import { instance } from "./fixtures";

function values(text: AdvancedValues["text"], insecureSkipVerify = false): AdvancedValues {
  return { text, insecureSkipVerify };
}

describe("the connect form's Advanced section", () => {
  test("left empty it sends nothing: the instance has no settings of its own", () => {
    assert.deepEqual(collectAdvanced(values({})), { ok: true, params: {} });
    assert.deepEqual(collectAdvanced(values({ caBundle: "  ", timeoutSeconds: "" })), { ok: true, params: {} });
    assert.ok(advancedIsEmpty(values({ caBundle: "" })));
    assert.ok(!advancedIsEmpty(values({}, true)));
  });

  test("settings go as configure's http, trimmed, the timeout as a number", () => {
    const result = collectAdvanced(
      values({
        caBundle: " /etc/ca.pem ",
        proxy: "http://alice@proxy.example.com:3128",
        clientCertificate: "/me.pem",
        clientKey: "/me.key",
        timeoutSeconds: "12.5",
      }),
    );
    assert.deepEqual(result, {
      ok: true,
      params: {
        http: {
          caBundle: "/etc/ca.pem",
          proxy: "http://alice@proxy.example.com:3128",
          clientCertificate: "/me.pem",
          clientKey: "/me.key",
          timeoutSeconds: 12.5,
        },
      },
    });
  });

  test("secrets go as httpSecrets, as typed, and never as http", () => {
    const result = collectAdvanced(values({ proxyPassword: " pw ", clientKeyPassphrase: "pass phrase" }));
    assert.deepEqual(result, { ok: true, params: { httpSecrets: { proxyPassword: " pw ", clientKeyPassphrase: "pass phrase" } } });
    const secrets = ADVANCED_CONTROLS.filter((control) => control.secret).map((control) => [control.name, control.input]);
    assert.deepEqual(secrets, [
      ["proxyPassword", "password"],
      ["clientKeyPassphrase", "password"],
    ]);
  });

  test("a wrong timeout or proxy is named beside its field; a password in the proxy URL is refused", () => {
    assert.deepEqual(collectAdvanced(values({ timeoutSeconds: "0" })), {
      ok: false,
      problems: [{ name: "timeoutSeconds", message: "A positive number of seconds." }],
    });
    assert.equal(collectAdvanced(values({ timeoutSeconds: "soon" })).ok, false);
    const withPassword = collectAdvanced(values({ proxy: "http://alice:s3cret@proxy:3128" }));
    assert.equal(withPassword.ok, false);
    if (!withPassword.ok) {
      assert.equal(withPassword.problems[0]?.name, "proxy");
      assert.ok(!withPassword.problems[0]?.message.includes("s3cret"));
    }
    assert.equal(collectAdvanced(values({ proxy: "proxy:3128" })).ok, false);
    assert.equal(collectAdvanced(values({ proxy: "socks5://proxy:1080" })).ok, false);
  });

  test("skipping verification is explicit, and only sent when ticked", () => {
    assert.deepEqual(collectAdvanced(values({}, true)), { ok: true, params: { http: { insecureSkipVerify: true } } });
    assert.deepEqual(collectAdvanced(values({ timeoutSeconds: "9" }, false)), { ok: true, params: { http: { timeoutSeconds: 9 } } });
    const insecure = ADVANCED_CONTROLS.find((control) => control.name === "insecureSkipVerify");
    assert.equal(insecure?.input, "checkbox");
    assert.match(insecure?.label ?? "", /insecure/i);
  });

  test("after Connect: everything kept when refused, emptied when connected", () => {
    const typed = values({ proxyPassword: "pw", timeoutSeconds: "5" }, true);
    assert.deepEqual(advancedAfterConnect(typed, false), typed);
    assert.deepEqual(advancedAfterConnect(typed, true), values({}, false));
  });
});

describe("an instance with TLS verification off", () => {
  test("says so first in the Issues view's description", () => {
    assert.match(instanceDescription(instance({ insecure: true }), undefined, undefined), /^⚠ TLS verification off · /);
    assert.doesNotMatch(instanceDescription(instance(), undefined, undefined), /TLS/);
  });
});

describe("configure messages from the webview", () => {
  const base = { type: "configure", requestId: 1, providerId: "jira-server", authMethod: "token", fields: { baseUrl: "x" } };

  test("carry the Advanced section's http and httpSecrets when well formed", () => {
    const message = { ...base, http: { timeoutSeconds: 20, caBundle: "/ca.pem", insecureSkipVerify: true }, httpSecrets: { proxyPassword: "pw" } };
    assert.deepEqual(parseWebviewMessage(message), message);
    assert.deepEqual(parseWebviewMessage({ ...base, http: {} }), { ...base, http: {} });
  });

  test("are refused with an unknown key, a wrong type or an empty secret", () => {
    for (const extra of [
      { http: { storageDir: "/x" } },
      { http: { timeoutSeconds: "20" } },
      { http: { timeoutSeconds: -1 } },
      { http: { insecureSkipVerify: "yes" } },
      { http: { caBundle: " " } },
      { http: [] },
      { httpSecrets: { token: "x" } },
      { httpSecrets: { proxyPassword: "" } },
      { httpSecrets: { proxyPassword: 5 } },
    ]) {
      assert.equal(parseWebviewMessage({ ...base, ...extra }), undefined, JSON.stringify(extra));
    }
  });
});

describe("a reconnect starts from the instance's own settings", () => {
  test("its non-secret settings fill the section; its secrets are typed again", () => {
    const http = { caBundle: "/ca.pem", proxy: "http://me@proxy:3128", timeoutSeconds: 20, clientCertificate: "/me.pem", clientKey: "/me.key" };
    assert.deepEqual(advancedValuesOf(http), {
      text: { caBundle: "/ca.pem", proxy: "http://me@proxy:3128", timeoutSeconds: "20", clientCertificate: "/me.pem", clientKey: "/me.key" },
      insecureSkipVerify: false,
    });
    // What it fills in is sent back as it was: a reconnect keeps the settings.
    assert.deepEqual(collectAdvanced(advancedValuesOf(http)!), { ok: true, params: { http } });
  });

  test("an insecure instance starts with its box ticked; none of its own: nothing", () => {
    assert.deepEqual(advancedValuesOf(undefined, true), { text: {}, insecureSkipVerify: true });
    assert.deepEqual(advancedValuesOf({ insecureSkipVerify: true }), { text: {}, insecureSkipVerify: true });
    assert.equal(advancedValuesOf(undefined), undefined);
    assert.equal(advancedValuesOf({}), undefined);
  });
});
