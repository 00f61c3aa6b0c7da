import assert from "node:assert/strict";
import { test } from "node:test";
import {
  groupByCategory,
  groupLabel,
  instanceDescription,
  instanceLabel,
  issueDescription,
} from "../src/issues/grouping";
import { instance, issue } from "./fixtures";

test("issues are grouped In Progress, To Do, Done, keeping the agent's order", () => {
  const a = issue("todo");
  const b = issue("inProgress");
  const c = issue("done");
  const d = issue("todo");
  const groups = groupByCategory([a, b, c, d]);
  assert.deepEqual(
    groups.map((g) => [g.category, g.issues.map((i) => i.key)]),
    [
      ["inProgress", [b.key]],
      ["todo", [a.key, d.key]],
      ["done", [c.key]],
    ],
  );
  assert.equal(groupLabel(groups[1]!), "To Do (2)");
});

test("empty categories are left out", () => {
  assert.deepEqual(groupByCategory([issue("done")]).map((g) => g.category), ["done"]);
  assert.deepEqual(groupByCategory([]), []);
});

test("instance label drops the scheme, keeps the context path", () => {
  assert.equal(instanceLabel({ baseUrl: "http://127.0.0.1:8090/jira" }), "127.0.0.1:8090/jira");
});

test("instance description: user, counts, query, team, state", () => {
  assert.equal(instanceDescription(instance(), { shown: 3, total: 3 }, undefined), "Alice Anderson · 3 issues");
  assert.equal(instanceDescription(instance(), { shown: 1, total: 1 }, undefined), "Alice Anderson · 1 issue");
  assert.equal(
    instanceDescription(instance({ scope: "team" }), { shown: 500, total: 812 }, "project = ISB"),
    "team · Alice Anderson · 500 of 812 issues · query: project = ISB",
  );
  assert.equal(instanceDescription(instance({ state: "needsAuthorization" }), undefined, undefined), "needs authorization");
});

test("issue description shows status, priority and assignee when present", () => {
  const withAll = issue("inProgress", { priority: "High", assignee: { name: "zoe", displayName: "Zoë Ünal" } });
  assert.equal(issueDescription(withAll), "In Progress · High · Zoë Ünal");
  assert.equal(issueDescription(issue("todo")), "To Do");
});
