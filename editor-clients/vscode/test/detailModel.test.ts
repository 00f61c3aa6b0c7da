import assert from "node:assert/strict";
import { test } from "node:test";
import { canStartWork, formatDate, metaRows, transitionLabel } from "../src/detail/detailModel";
import { parseDetailMessage } from "../src/detail/messages";
import type { IssueDetail } from "../src/protocol";
import { issue } from "./fixtures";

function detail(overrides: Partial<IssueDetail> = {}): IssueDetail {
  return { ...issue("todo"), createdAt: "2024-03-01T09:00:00.000+0000", labels: [], comments: [], transitions: [], ...overrides };
}

test("the detail rows name what is missing instead of leaving holes", () => {
  const rows = metaRows(detail({ labels: ["backend", "login"], reporter: { name: "bob", displayName: "Bob Brown" } }), "en-GB");
  const byField = Object.fromEntries(rows.map((row) => [row.field, row.value]));
  assert.deepEqual(
    rows.map((row) => row.label),
    ["Status", "Type", "Priority", "Assignee", "Reporter", "Labels", "Created", "Updated"],
  );
  assert.equal(byField.assignee, "Unassigned");
  assert.equal(byField.reporter, "Bob Brown");
  assert.equal(byField.labels, "backend, login");
  assert.equal(byField.priority, "—");
  assert.match(byField.created ?? "", /2024/);
});

test("dates Jira writes are parsed; anything else is shown as it came", () => {
  assert.match(formatDate("2024-03-05T14:22:01.000+0000", "en-GB"), /05\/03\/2024/);
  assert.equal(formatDate("soon"), "soon");
});

test("a transition says where it leads unless its name does", () => {
  const to = { name: "In Progress", category: "inProgress" as const };
  assert.equal(transitionLabel({ id: "4", name: "Start Progress", to }), "Start Progress → In Progress");
  assert.equal(transitionLabel({ id: "4", name: "In progress", to }), "In progress");
  assert.equal(canStartWork(detail()), true);
  assert.equal(canStartWork(detail({ status: { name: "Done", category: "done" } })), false);
});

test("detail messages from the webview are checked before use", () => {
  assert.deepEqual(parseDetailMessage({ type: "ready" }), { type: "ready" });
  assert.deepEqual(parseDetailMessage({ type: "transition", requestId: 1, transitionId: "21", comment: "  " }), {
    type: "transition",
    requestId: 1,
    transitionId: "21",
  });
  assert.deepEqual(parseDetailMessage({ type: "transition", requestId: 1, transitionId: "21", comment: " done " }), {
    type: "transition",
    requestId: 1,
    transitionId: "21",
    comment: "done",
  });
  assert.equal(parseDetailMessage({ type: "transition", requestId: 1, transitionId: "" }), undefined);
  assert.deepEqual(parseDetailMessage({ type: "assign", requestId: 2, assignee: null }), { type: "assign", requestId: 2, assignee: null });
  assert.deepEqual(parseDetailMessage({ type: "assign", requestId: 2, assignee: "me" }), { type: "assign", requestId: 2, assignee: "me" });
  assert.deepEqual(parseDetailMessage({ type: "assign", requestId: 2, assignee: { name: "bob", extra: 1 } }), {
    type: "assign",
    requestId: 2,
    assignee: { name: "bob" },
  });
  assert.equal(parseDetailMessage({ type: "assign", requestId: 2, assignee: "bob" }), undefined);
  assert.equal(parseDetailMessage({ type: "assign", requestId: 2 }), undefined);
  assert.equal(parseDetailMessage({ type: "comment", requestId: 3, body: "   " }), undefined);
  assert.deepEqual(parseDetailMessage({ type: "searchAssignees", requestId: 4, query: " bo " }), {
    type: "searchAssignees",
    requestId: 4,
    query: "bo",
  });
  assert.equal(parseDetailMessage({ type: "openExternal", url: "https://evil" }), undefined);
  assert.equal(parseDetailMessage({ type: "copy", text: 5 }), undefined);
});
