import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { agentOptions, configurationEffect, type SettingsReader } from "../src/agent/settings";
import { DEFAULT_DOCUMENT_SELECTOR, documentSelectorOf, filterOf } from "../src/keys/documentSelector";

function reader(values: Record<string, unknown>): SettingsReader {
  return { get: <T>(key: string) => values[key] as T | undefined };
}

interface Manifest {
  contributes: { configuration: { properties: Record<string, { default?: unknown; markdownDescription?: string }> } };
}
const manifest = JSON.parse(readFileSync("package.json", "utf8")) as Manifest;
const properties = manifest.contributes.configuration.properties;

describe("the documents issue keys work in", () => {
  test("by default: every file, untitled documents, git commit messages and the Source Control box", () => {
    assert.deepEqual(documentSelectorOf(reader({})), {
      selector: [{ scheme: "file" }, { scheme: "untitled" }, { language: "git-commit" }, { scheme: "vscode-scm" }],
      ignored: [],
    });
    // What a user reads in the Settings editor is what the extension uses unset.
    assert.deepEqual(properties["issuebridge.issueKeys.documentSelector"]?.default, DEFAULT_DOCUMENT_SELECTOR);
    assert.deepEqual(documentSelectorOf(reader({ "issueKeys.documentSelector": "typescript" })).selector, DEFAULT_DOCUMENT_SELECTOR);
  });

  test("the setting narrows it; entries naming no language, scheme or pattern are left out and reported", () => {
    const { selector, ignored } = documentSelectorOf(
      reader({
        "issueKeys.documentSelector": [
          { language: "typescript" },
          { language: " git-commit ", extra: 1 },
          { languag: "python" },
          "python",
          null,
          { scheme: "file", pattern: "**/src/**" },
          { language: "" },
        ],
      }),
    );
    assert.deepEqual(selector, [{ language: "typescript" }, { language: "git-commit" }, { scheme: "file", pattern: "**/src/**" }]);
    assert.deepEqual(ignored, [{ languag: "python" }, "python", null, { language: "" }]);
  });

  test("an empty list syncs no document", () => {
    assert.deepEqual(documentSelectorOf(reader({ "issueKeys.documentSelector": [] })), { selector: [], ignored: [] });
    assert.equal(filterOf([{ language: "go" }]), undefined);
    assert.equal(filterOf({ pattern: 12 }), undefined);
  });

  test("the setting's description says that changing it restarts the agent, with an example", () => {
    const text = properties["issuebridge.issueKeys.documentSelector"]?.markdownDescription ?? "";
    assert.match(text, /restarts the agent/);
    assert.match(text, /"language": "typescript"/);
    assert.match(text, /git-commit/);
  });
});

describe("issueKeys.enabled", () => {
  test("only turning issue keys off is sent (the agent's default is on)", () => {
    assert.deepEqual(agentOptions(reader({ "issueKeys.enabled": false })), { issueKeys: { enabled: false } });
    assert.deepEqual(agentOptions(reader({ "issueKeys.enabled": true })), {});
    assert.deepEqual(agentOptions(reader({ "issueKeys.enabled": "no" })), {});
    assert.equal(properties["issuebridge.issueKeys.enabled"]?.default, true);
  });
});

describe("what a settings change does", () => {
  const changed =
    (...sections: string[]) =>
    (section: string): boolean =>
      sections.some((changedSection) => changedSection === section || changedSection.startsWith(`${section}.`));

  test("the document selector and how the agent starts restart it", () => {
    assert.equal(configurationEffect(changed("issuebridge.issueKeys.documentSelector")), "restart");
    assert.equal(configurationEffect(changed("issuebridge.agent.pythonPath")), "restart");
  });

  test("issueKeys.enabled and the agent's settings are sent to it", () => {
    assert.equal(configurationEffect(changed("issuebridge.issueKeys.enabled")), "notify");
    assert.equal(configurationEffect(changed("issuebridge.http.proxy")), "notify");
    assert.equal(configurationEffect(changed("issuebridge.issues.branchTemplate")), "notify");
  });

  test("the Issues view's limit and other extensions' settings do not concern the agent", () => {
    assert.equal(configurationEffect(changed("issuebridge.issues.limit")), "none");
    assert.equal(configurationEffect(changed("editor.fontSize")), "none");
  });
});
