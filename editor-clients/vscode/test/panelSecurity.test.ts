import assert from "node:assert/strict";
import { test } from "node:test";
import { contentSecurityPolicy, makeNonce, panelHtml } from "../src/panel/html";
import { parseWebviewMessage } from "../src/panel/messages";

test("the panel's CSP allows only the nonced script and extension resources", () => {
  const csp = contentSecurityPolicy("https://webview.example", "N0NCE");
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-N0NCE'(;|$)/);
  assert.match(csp, /style-src https:\/\/webview\.example(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
});

test("the shell has one script, carrying the nonce, and no inline code", () => {
  const html = panelHtml({ cspSource: "https://w", nonce: "abc", title: "Integrations", scriptUri: "https://w/main.js", styleUri: "https://w/s.css" });
  const scripts = html.match(/<script[^>]*>/g) ?? [];
  assert.equal(scripts.length, 1);
  assert.match(scripts[0]!, /nonce="abc"/);
  assert.match(scripts[0]!, /src="https:\/\/w\/main\.js"/);
  assert.doesNotMatch(html, /<script[^>]*>[^<]+<\/script>/);
  assert.doesNotMatch(html, /\son[a-z]+=/i);
});

test("nonces are fresh and long", () => {
  const a = makeNonce();
  assert.notEqual(a, makeNonce());
  assert.ok(a.length >= 32);
});

test("messages from the webview are checked before use", () => {
  assert.deepEqual(parseWebviewMessage({ type: "ready" }), { type: "ready" });
  assert.deepEqual(
    parseWebviewMessage({ type: "configure", requestId: 1, providerId: "jira-server", authMethod: "token", fields: { baseUrl: "x" } }),
    { type: "configure", requestId: 1, providerId: "jira-server", authMethod: "token", fields: { baseUrl: "x" } },
  );
  assert.equal(parseWebviewMessage({ type: "configure", requestId: 1, providerId: "j", authMethod: "t", fields: { n: 5 } }), undefined);
  assert.equal(parseWebviewMessage({ type: "disconnect", requestId: 2, instanceId: "i" }), undefined);
  assert.equal(parseWebviewMessage({ type: "authorize", requestId: -1, instanceId: "i" }), undefined);
  assert.equal(parseWebviewMessage({ type: "runCommand", command: "rm" }), undefined);
  // The guide is named by provider and method; the host looks its URL up.
  assert.deepEqual(parseWebviewMessage({ type: "openGuide", providerId: "jira-server", methodId: "oauth2" }), {
    type: "openGuide",
    providerId: "jira-server",
    methodId: "oauth2",
  });
  assert.equal(parseWebviewMessage({ type: "openGuide", providerId: "jira-server", methodId: "" }), undefined);
  assert.equal(parseWebviewMessage({ type: "openGuide", url: "file:///etc/passwd" }), undefined);
  assert.equal(parseWebviewMessage("ready"), undefined);
  assert.equal(parseWebviewMessage(null), undefined);
});

test("a pasted code or callback address is checked and trimmed before it goes to the agent", () => {
  assert.deepEqual(
    parseWebviewMessage({ type: "completeAuthorization", requestId: 3, instanceId: "i", verifier: "  http://127.0.0.1:5/callback?oauth_verifier=x \n" }),
    { type: "completeAuthorization", requestId: 3, instanceId: "i", verifier: "http://127.0.0.1:5/callback?oauth_verifier=x" },
  );
  assert.equal(parseWebviewMessage({ type: "completeAuthorization", requestId: 3, instanceId: "i", verifier: "   " }), undefined);
  assert.equal(parseWebviewMessage({ type: "completeAuthorization", requestId: 3, instanceId: "i", verifier: 7 }), undefined);
  assert.equal(parseWebviewMessage({ type: "revealFile", path: "" }), undefined);
  assert.deepEqual(parseWebviewMessage({ type: "dismissSecretFileNote" }), { type: "dismissSecretFileNote" });
});

test("every webview's title goes into the shell as text", () => {
  const html = panelHtml({ cspSource: "https://w", nonce: "n", title: "New Bug in <ISB>", scriptUri: "https://w/create.js", styleUri: "https://w/s.css" });
  assert.match(html, /<title>New Bug in &lt;ISB&gt;<\/title>/);
});
