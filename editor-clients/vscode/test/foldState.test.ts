import assert from "node:assert/strict";
import { test } from "node:test";
import { FoldState } from "../src/issues/foldState";
import type { StateStore } from "../src/issues/jqlFilters";

class MemoryStore implements StateStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
}

test("a folded instance stays folded for the next window (same store), until unfolded", async () => {
  const store = new MemoryStore();
  await new FoldState(store).setFolded("a", true);
  await new FoldState(store).setFolded("b", true);
  const reloaded = new FoldState(store);
  assert.equal(reloaded.isFolded("a"), true);
  assert.equal(reloaded.isFolded("c"), false);
  await reloaded.setFolded("a", false);
  await reloaded.setFolded("b", true); // twice: still once
  assert.deepEqual(store.values.get("issuebridge.foldedInstances"), ["b"]);
});

test("a damaged stored value reads as nothing folded", () => {
  const store = new MemoryStore();
  store.values.set("issuebridge.foldedInstances", "a");
  assert.equal(new FoldState(store).isFolded("a"), false);
});
