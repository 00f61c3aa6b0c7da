import assert from "node:assert/strict";
import { test } from "node:test";
import { hasUncommittedChanges, planBranch } from "../src/work/branchPlan";

const MODIFIED = 5;
const UNTRACKED = 7;
const clean = { workingTreeChanges: [], indexChanges: [], mergeChanges: [] };

test("a new branch is created, an existing one checked out, the current one left alone", () => {
  assert.deepEqual(planBranch("ISB-1-fix", "main", ["main"], false), { step: "create", askFirst: false });
  assert.deepEqual(planBranch("ISB-1-fix", "main", ["main", "ISB-1-fix"], false), { step: "checkout", askFirst: false });
  assert.deepEqual(planBranch("ISB-1-fix", "ISB-1-fix", ["main", "ISB-1-fix"], true), { step: "alreadyOn", askFirst: false });
  // A detached HEAD has no branch name.
  assert.deepEqual(planBranch("ISB-1-fix", undefined, [], false), { step: "create", askFirst: false });
});

test("uncommitted changes make Start Work ask before it switches", () => {
  assert.deepEqual(planBranch("ISB-1-fix", "main", [], true), { step: "create", askFirst: true });
  assert.deepEqual(planBranch("ISB-1-fix", "main", ["ISB-1-fix"], true), { step: "checkout", askFirst: true });
});

test("staged, modified and conflicting files count as uncommitted; untracked ones do not", () => {
  assert.equal(hasUncommittedChanges(clean), false);
  assert.equal(hasUncommittedChanges({ ...clean, workingTreeChanges: [{ status: UNTRACKED }] }), false);
  assert.equal(hasUncommittedChanges({ ...clean, workingTreeChanges: [{ status: MODIFIED }] }), true);
  assert.equal(hasUncommittedChanges({ ...clean, indexChanges: [{ status: 0 }] }), true);
  assert.equal(hasUncommittedChanges({ ...clean, mergeChanges: [{ status: 18 }] }), true);
});
