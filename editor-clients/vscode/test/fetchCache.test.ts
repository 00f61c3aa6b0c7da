import assert from "node:assert/strict";
import { test } from "node:test";
import { FetchCache } from "../src/issues/fetchCache";
import { instance } from "./fixtures";

test("a fetch answered after the instance failed does not outlive the Reconnect", () => {
  const cache = new FetchCache<string, string>();
  const connected = instance();
  const ticket = cache.begin(connected);
  // The agent marks the instance failed (didChange) before it answers the fetch with 401.
  cache.prune([instance({ state: "error", error: "Jira rejected the token" })]);
  assert.equal(cache.settle(connected.instanceId, ticket, { failure: "401" }), false);
  // Reconnected: nothing stale is left, so the view fetches again.
  cache.prune([connected]);
  assert.equal(cache.get(connected.instanceId), undefined);
});

test("an answer is kept while the instance stays as it was", () => {
  const cache = new FetchCache<string, string>();
  const ticket = cache.begin(instance());
  assert.equal(cache.settle("jira-1", ticket, { failure: "HTTP 502" }), true);
  cache.prune([instance()]);
  assert.equal(cache.get("jira-1")?.state, "failed");
});

test("a changed instance (reconfigured, another user) drops what was fetched", () => {
  const cache = new FetchCache<string, string>();
  cache.settle("jira-1", cache.begin(instance()), { result: "issues" });
  cache.prune([instance({ user: { name: "bob", displayName: "Bob" } })]);
  assert.equal(cache.get("jira-1"), undefined);
});

test("a newer fetch wins over an older one; invalidate forgets", () => {
  const cache = new FetchCache<string, string>();
  const first = cache.begin(instance());
  const second = cache.begin(instance());
  assert.equal(cache.settle("jira-1", first, { result: "old" }), false);
  assert.equal(cache.settle("jira-1", second, { result: "new" }), true);
  const entry = cache.get("jira-1");
  assert.equal(entry?.state === "loaded" ? entry.result : undefined, "new");
  cache.invalidate("jira-1");
  assert.equal(cache.get("jira-1"), undefined);
});
