// Commands of the Issues view: refresh, filter (a query in the tracker's own
// syntax: JQL for Jira), open in browser, copy key.
import * as vscode from "vscode";
import type { ProvidersModel } from "../providersModel";
import { queryExample } from "../capabilities";
import { instanceLabel } from "./grouping";
import type { IssuesNode, IssuesTree } from "./issuesTree";
import type { JqlFilters } from "./jqlFilters";

type InstanceNode = Extract<IssuesNode, { kind: "instance" }>;
type IssueNode = Extract<IssuesNode, { kind: "issue" }>;

function isNode<K extends IssuesNode["kind"]>(value: unknown, kind: K): value is Extract<IssuesNode, { kind: K }> {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === kind;
}

export function registerIssueCommands(
  tree: IssuesTree,
  model: ProvidersModel,
  filters: JqlFilters,
): vscode.Disposable[] {
  /** From a tree node, or by asking when run from the command palette. */
  async function pickInstance(node: unknown): Promise<InstanceNode["instance"] | undefined> {
    if (isNode(node, "instance")) return node.instance;
    const instances = model.instances;
    if (instances.length <= 1) return instances[0];
    const picked = await vscode.window.showQuickPick(
      instances.map((instance) => ({ label: instanceLabel(instance), instance })),
      { placeHolder: "Which instance?" },
    );
    return picked?.instance;
  }

  return [
    vscode.commands.registerCommand("issuebridge.refreshIssues", (node?: unknown) => {
      tree.refresh(isNode(node, "instance") ? node.instance.instanceId : undefined);
    }),
    vscode.commands.registerCommand("issuebridge.setJqlFilter", async (node?: unknown) => {
      const instance = await pickInstance(node);
      if (!instance) return;
      const query = await vscode.window.showInputBox({
        title: `Filter ${instanceLabel(instance)}: a query (JQL for Jira)`,
        prompt: "Issues matching this query (in the tracker's own syntax) are shown. Leave empty for your unresolved issues.",
        value: filters.get(instance.instanceId) ?? queryExample(instance.providerId),
        ignoreFocusOut: true,
      });
      if (query === undefined) return; // dismissed
      await filters.set(instance.instanceId, query);
      tree.refresh(instance.instanceId);
    }),
    vscode.commands.registerCommand("issuebridge.clearJqlFilter", async (node?: unknown) => {
      const instance = await pickInstance(node);
      if (!instance) return;
      await filters.set(instance.instanceId, undefined);
      tree.refresh(instance.instanceId);
    }),
    vscode.commands.registerCommand("issuebridge.openIssue", async (node?: unknown) => {
      if (!isNode(node, "issue")) return;
      await vscode.env.openExternal(vscode.Uri.parse((node as IssueNode).issue.url));
    }),
    vscode.commands.registerCommand("issuebridge.copyIssueKey", async (node?: unknown) => {
      if (!isNode(node, "issue")) return;
      await vscode.env.clipboard.writeText(node.issue.key);
      void vscode.window.setStatusBarMessage(`Copied ${node.issue.key}`, 3000);
    }),
  ];
}
