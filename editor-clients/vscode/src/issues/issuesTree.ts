// The Issues view: instances → status categories → issues. Issues are fetched
// when an instance is first shown and on refresh; each instance's JQL filter is
// applied. Nodes carry a `contextValue` ("instance", "issue", …) so actions on
// issues that come later (transition, start work) are just more menu entries.
import * as vscode from "vscode";
import type { AgentConnection } from "../agent/connection";
import { toFailure, type AgentFailure } from "../errors";
import { Requests, type Instance, type Issue, type IssuesFetchResult } from "../protocol";
import type { ProvidersModel } from "../providersModel";
import {
  groupByCategory,
  groupLabel,
  instanceDescription,
  instanceLabel,
  issueDescription,
  type IssueGroup,
} from "./grouping";
import type { JqlFilters } from "./jqlFilters";

export type IssuesNode =
  | { kind: "instance"; instance: Instance }
  | { kind: "group"; instanceId: string; group: IssueGroup }
  | { kind: "issue"; instanceId: string; issue: Issue }
  | { kind: "message"; id: string; text: string; icon: string; command?: vscode.Command };

type Fetched =
  | { state: "loading"; promise: Promise<void> }
  | { state: "loaded"; result: IssuesFetchResult }
  | { state: "failed"; failure: AgentFailure };

export const ISSUES_VIEW_ID = "issuebridge.issues";

export class IssuesTree implements vscode.TreeDataProvider<IssuesNode>, vscode.Disposable {
  private readonly fetched = new Map<string, Fetched>();
  private readonly emitter = new vscode.EventEmitter<IssuesNode | undefined>();
  private readonly subscriptions: vscode.Disposable[];
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(
    private readonly agent: AgentConnection,
    private readonly model: ProvidersModel,
    private readonly filters: JqlFilters,
    private readonly limit: () => number,
  ) {
    this.subscriptions = [
      this.emitter,
      model.onDidChange(() => {
        // A state change (connected, disconnected, reconfigured) can change what
        // a fetch returns: drop what we have for instances that are not connected.
        for (const instanceId of [...this.fetched.keys()]) {
          if (this.model.instance(instanceId)?.state !== "connected") this.fetched.delete(instanceId);
        }
        this.emitter.fire(undefined);
      }),
    ];
  }

  /** Fetch again: one instance, or all of them. */
  refresh(instanceId?: string): void {
    if (instanceId) this.fetched.delete(instanceId);
    else this.fetched.clear();
    this.emitter.fire(undefined);
  }

  getChildren(node?: IssuesNode): IssuesNode[] {
    if (!node) return this.model.instances.map((instance) => ({ kind: "instance", instance }));
    switch (node.kind) {
      case "instance":
        return this.instanceChildren(node.instance);
      case "group":
        return node.group.issues.map((issue) => ({ kind: "issue", instanceId: node.instanceId, issue }));
      default:
        return [];
    }
  }

  private instanceChildren(instance: Instance): IssuesNode[] {
    const id = instance.instanceId;
    if (instance.state !== "connected") {
      return [
        {
          kind: "message",
          id: `${id}/not-connected`,
          text: instance.error ?? "Not connected: authorize it in the Integrations panel",
          icon: "plug",
          command: { title: "Open Integrations", command: "issuebridge.openIntegrations" },
        },
      ];
    }
    const fetched = this.fetched.get(id);
    if (!fetched) {
      this.startFetch(instance);
      return [{ kind: "message", id: `${id}/loading`, text: "Loading issues…", icon: "loading~spin" }];
    }
    if (fetched.state === "loading") {
      return [{ kind: "message", id: `${id}/loading`, text: "Loading issues…", icon: "loading~spin" }];
    }
    if (fetched.state === "failed") {
      return [
        {
          kind: "message",
          id: `${id}/failed`,
          text: fetched.failure.hint ? `${fetched.failure.message} ${fetched.failure.hint}` : fetched.failure.message,
          icon: "error",
          command: { title: "Retry", command: "issuebridge.refreshIssues", arguments: [{ kind: "instance", instance }] },
        },
      ];
    }
    if (fetched.result.issues.length === 0) {
      return [{ kind: "message", id: `${id}/empty`, text: "No issues", icon: "check" }];
    }
    return groupByCategory(fetched.result.issues).map((group) => ({ kind: "group", instanceId: id, group }));
  }

  private startFetch(instance: Instance): void {
    const id = instance.instanceId;
    const jql = this.filters.get(id);
    const promise = this.agent
      .requestWithProgress(
        Requests.issuesFetch,
        { instanceId: id, limit: this.limit(), ...(jql ? { jql } : {}) },
        { title: `Fetching issues from ${instanceLabel(instance)}`, location: { viewId: ISSUES_VIEW_ID } },
      )
      .then(
        (result) => {
          this.fetched.set(id, { state: "loaded", result });
        },
        (error: unknown) => {
          this.fetched.set(id, { state: "failed", failure: toFailure(error) });
        },
      )
      .finally(() => this.emitter.fire(undefined));
    this.fetched.set(id, { state: "loading", promise });
  }

  getTreeItem(node: IssuesNode): vscode.TreeItem {
    switch (node.kind) {
      case "instance":
        return this.instanceItem(node.instance);
      case "group": {
        const item = new vscode.TreeItem(
          groupLabel(node.group),
          node.group.category === "done"
            ? vscode.TreeItemCollapsibleState.Collapsed
            : vscode.TreeItemCollapsibleState.Expanded,
        );
        item.id = `${node.instanceId}/${node.group.category}`;
        item.contextValue = "group";
        item.iconPath = new vscode.ThemeIcon(
          node.group.category === "done" ? "pass" : node.group.category === "inProgress" ? "play-circle" : "circle-large-outline",
        );
        return item;
      }
      case "issue":
        return issueItem(node.instanceId, node.issue);
      case "message": {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.contextValue = "message";
        item.tooltip = node.text;
        if (node.command) item.command = node.command;
        return item;
      }
    }
  }

  private instanceItem(instance: Instance): vscode.TreeItem {
    const fetched = this.fetched.get(instance.instanceId);
    const counts =
      fetched?.state === "loaded" ? { shown: fetched.result.issues.length, total: fetched.result.total } : undefined;
    const jql = this.filters.get(instance.instanceId);
    const item = new vscode.TreeItem(instanceLabel(instance), vscode.TreeItemCollapsibleState.Expanded);
    item.id = instance.instanceId;
    item.description = instanceDescription(instance, counts, jql);
    item.contextValue = jql ? "instance filtered" : "instance";
    item.iconPath = new vscode.ThemeIcon(
      instance.state === "connected" ? "plug" : instance.state === "error" ? "error" : "warning",
    );
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(`${instance.baseUrl}\n`);
    tooltip.appendText(`State: ${instance.state}${instance.error ? ` (${instance.error})` : ""}\n`);
    if (instance.user) tooltip.appendText(`User: ${instance.user.displayName}\n`);
    if (instance.serverVersion) tooltip.appendText(`Server: ${instance.serverVersion}\n`);
    tooltip.appendText(jql ? `JQL: ${jql}` : "Your unresolved issues (set a JQL filter to change)");
    item.tooltip = tooltip;
    return item;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

function issueItem(instanceId: string, issue: Issue): vscode.TreeItem {
  const item = new vscode.TreeItem(`${issue.key} ${issue.title}`, vscode.TreeItemCollapsibleState.None);
  item.id = `${instanceId}/issue/${issue.key}`;
  item.description = issueDescription(issue);
  item.contextValue = "issue";
  item.iconPath = new vscode.ThemeIcon(issue.type === "Bug" ? "bug" : "issues");
  const tooltip = new vscode.MarkdownString();
  tooltip.appendText(`${issue.key}: ${issue.title}\n\n`);
  tooltip.appendText(`${issue.project.name} · ${issue.type ?? "Issue"} · ${issue.status.name}`);
  if (issue.priority) tooltip.appendText(` · ${issue.priority}`);
  tooltip.appendText(`\nAssignee: ${issue.assignee?.displayName ?? "Unassigned"}`);
  tooltip.appendText(`\nUpdated: ${new Date(issue.updatedAt).toLocaleString()}`);
  item.tooltip = tooltip;
  item.accessibilityInformation = { label: `${issue.key} ${issue.title}, ${issue.status.name}` };
  return item;
}
