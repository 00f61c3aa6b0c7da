import assert from "node:assert/strict";
import { test } from "node:test";
import { JqlFilters, type StateStore } from "../src/issues/jqlFilters";

class MemoryStore implements StateStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
  }
}

test("a JQL filter is remembered per instance, trimmed, and cleared when empty", async () => {
  const store = new MemoryStore();
  const filters = new JqlFilters(store);
  await filters.set("a", "  project = ISB ");
  await filters.set("b", "status = Open");
  assert.equal(filters.get("a"), "project = ISB");
  assert.equal(filters.get("b"), "status = Open");
  await filters.set("a", "   ");
  assert.equal(filters.get("a"), undefined);
  assert.equal(store.values.size, 1);
});
