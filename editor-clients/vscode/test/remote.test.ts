import assert from "node:assert/strict";
import { test } from "node:test";
import type { ClientCapabilities } from "vscode-languageclient/node";
import { externalUriFeature, isLoopbackUrl } from "../src/agent/externalUri";
import { secretFileNoteKey, secretStorageOf } from "../src/secretStorage";

test("the client declares that it maps the agent's callback URL (experimental.issuebridge.externalUri)", () => {
  const capabilities: ClientCapabilities = { experimental: { other: 1 } };
  externalUriFeature.fillClientCapabilities(capabilities);
  assert.deepEqual(capabilities.experimental, { other: 1, issuebridge: { externalUri: true } });
});

test("only the agent's loopback callback URLs are mapped", () => {
  assert.equal(isLoopbackUrl("http://127.0.0.1:43117/callback"), true);
  assert.equal(isLoopbackUrl("http://localhost:8/callback"), true);
  assert.equal(isLoopbackUrl("https://evil.example/callback"), false);
  assert.equal(isLoopbackUrl("file:///etc/passwd"), false);
  assert.equal(isLoopbackUrl("not a url"), false);
});

test("secretStorage from providers/list, checked; older agents send none", () => {
  assert.deepEqual(secretStorageOf({ providers: [], secretStorage: { kind: "file", path: "/h/secrets.json" } }), {
    kind: "file",
    path: "/h/secrets.json",
  });
  assert.deepEqual(secretStorageOf({ secretStorage: { kind: "keyring" } }), { kind: "keyring" });
  assert.equal(secretStorageOf({ providers: [] }), undefined);
  assert.equal(secretStorageOf({ secretStorage: { kind: "floppy" } }), undefined);
  assert.notEqual(secretFileNoteKey({ kind: "file", path: "/a" }), secretFileNoteKey({ kind: "file", path: "/b" }));
});
