import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  commentFields,
  commentPlace,
  CREATE_ISSUE_FROM_COMMENT,
  parseCommentArgs,
  proposedFirst,
  proposedIssueType,
} from "../src/keys/commentArgs";

describe("the argument of issuebridge.createIssueFromComment", () => {
  const wire = {
    uri: "file:///work/app/src/cache.ts",
    line: 41,
    startCharacter: 11,
    endCharacter: 25,
    text: "fix cache race",
    path: "src/cache.ts",
    instanceId: "jira-server:https://jira.example.com/",
    projectKey: "CORE",
  };

  test("the command is the one the agent advertises", () => {
    assert.equal(CREATE_ISSUE_FROM_COMMENT, "issuebridge.createIssueFromComment");
  });

  test("the agent's shape is read as it is; the proposal is optional", () => {
    assert.deepEqual(parseCommentArgs([wire]), wire);
    const { instanceId: _i, projectKey: _p, ...bare } = wire;
    assert.deepEqual(parseCommentArgs([bare]), bare);
    assert.deepEqual(parseCommentArgs([{ ...bare, instanceId: null, projectKey: null }]), bare);
  });

  test("anything else is refused", () => {
    for (const bad of [
      [],
      [null],
      ["file:///a.ts"],
      [{ ...wire, uri: "" }],
      [{ ...wire, line: -1 }],
      [{ ...wire, line: 1.5 }],
      [{ ...wire, startCharacter: "11" }],
      [{ ...wire, endCharacter: 10 }],
      [{ ...wire, text: "   " }],
      [{ ...wire, text: "x".repeat(10_001) }],
      [{ ...wire, path: undefined }],
      [{ ...wire, instanceId: 7 }],
      [{ ...wire, projectKey: "" }],
    ]) {
      assert.equal(parseCommentArgs(bad), undefined, JSON.stringify(bad).slice(0, 80));
    }
  });

  test("the form starts with the comment: summary its text, description its text and place (1-based line)", () => {
    const args = parseCommentArgs([wire]);
    assert.ok(args);
    assert.equal(commentPlace(args), "src/cache.ts:42");
    assert.deepEqual(commentFields(args), {
      summary: "fix cache race",
      description: "fix cache race\n\nFrom src/cache.ts:42",
    });
  });

  test("the proposed project and type are listed first, the rest in their order", () => {
    const projects = ["ISB", "CORE", "OPS"].map((key) => ({ key }));
    assert.deepEqual(
      proposedFirst(projects, (project) => project.key === "CORE").map((project) => project.key),
      ["CORE", "ISB", "OPS"],
    );
    assert.deepEqual(proposedFirst(projects, () => false), projects);
    const types = [
      { id: "1", name: "Bug" },
      { id: "3", name: "Task" },
      { id: "4", name: "Improvement" },
    ];
    assert.equal(proposedIssueType(types, "1"), "3", "Task, as the agent's own command picks");
    assert.equal(proposedIssueType(types.filter((type) => type.name !== "Task"), "4"), "4", "else the form's default");
  });
});
