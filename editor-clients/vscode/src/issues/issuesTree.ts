// The Issues view: instances → status categories → issues. Issues are fetched
// when an instance is first shown and on refresh; each instance's JQL filter is
// applied. Nodes carry a `contextValue` ("instance", "issue", …, with a word
// for each action the instance's tracker supports: see capabilities.ts) that
// package.json's menus test, so an unsupported action has no menu entry.
import * as vscode from "vscode";
import type { AgentConnection } from "../agent/connection";
import { describeFailure, toFailure, type AgentFailure } from "../errors";
import { INSECURE_EXPLANATION, INSECURE_LABEL } from "../insecure";
import { Requests, type Instance, type Issue, type IssuesFetchResult } from "../protocol";
import { instanceContextValue, issueContextValue, type Capabilities } from "../capabilities";
import type { ProvidersModel } from "../providersModel";
import {
  groupByCategory,
  groupLabel,
  instanceDescription,
  instanceLabel,
  issueDescription,
  type IssueGroup,
} from "./grouping";
import { FetchCache } from "./fetchCache";
import { staleNote, staleTooltip } from "./staleness";
import type { FoldState } from "./foldState";
import type { JqlFilters } from "./jqlFilters";

export type IssuesNode =
  | { kind: "instance"; instance: Instance }
  | { kind: "group"; instanceId: string; group: IssueGroup }
  | { kind: "issue"; instanceId: string; issue: Issue }
  | { kind: "message"; id: string; text: string; icon: string; command?: vscode.Command };

export const ISSUES_VIEW_ID = "issuebridge.issues";

export class IssuesTree implements vscode.TreeDataProvider<IssuesNode>, vscode.Disposable {
  private readonly fetched = new FetchCache<IssuesFetchResult, AgentFailure>();
  private readonly emitter = new vscode.EventEmitter<IssuesNode | undefined>();
  private readonly subscriptions: vscode.Disposable[];
  private ageTicker: ReturnType<typeof setInterval> | undefined;
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(
    private readonly agent: AgentConnection,
    private readonly model: ProvidersModel,
    private readonly filters: JqlFilters,
    private readonly limit: () => number,
    private readonly folds: FoldState,
  ) {
    this.subscriptions = [
      this.emitter,
      model.onDidChange(() => {
        // A state change (connected, disconnected, reconfigured) can change what
        // a fetch returns: drop what no longer matches the instance.
        this.fetched.prune(this.model.instances);
        this.emitter.fire(undefined);
      }),
    ];
  }

  /** Fetch again: one instance, or all of them. */
  refresh(instanceId?: string): void {
    this.fetched.invalidate(instanceId);
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
    if (!fetched || fetched.state === "loading") {
      if (!fetched) this.startFetch(instance);
      return [{ kind: "message", id: `${id}/loading`, text: "Loading issues…", icon: "loading~spin" }];
    }
    if (fetched.state === "failed") {
      const failure = fetched.failure;
      // Retry refetches; the steps that happen in the panel (configure, authorize,
      // unlock, …) open it. The row's tooltip and text carry the agent's words.
      const inPanel = failure.action !== undefined && failure.action !== "retry";
      return [
        {
          kind: "message",
          id: `${id}/failed`,
          text: describeFailure(failure),
          icon: "error",
          command: inPanel
            ? { title: "Open Integrations", command: "issuebridge.openIntegrations" }
            : { title: "Retry", command: "issuebridge.refreshIssues", arguments: [{ kind: "instance", instance }] },
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
    const query = this.filters.get(id);
    const ticket = this.fetched.begin(this.model.instance(id) ?? instance);
    void this.agent
      .requestWithProgress(
        Requests.issuesFetch,
        { instanceId: id, limit: this.limit(), ...(query ? { query } : {}) },
        { title: `Fetching issues from ${instanceLabel(instance)}`, location: { viewId: ISSUES_VIEW_ID } },
      )
      .then(
        (result) => this.fetched.settle(id, ticket, { result }),
        (error: unknown) => this.fetched.settle(id, ticket, { failure: toFailure(error) }),
      )
      .then((recorded) => {
        if (!recorded) return;
        this.updateAgeTicker();
        this.emitter.fire(undefined);
      });
  }

  /** While a list is stale, its age ("fetched 12 min ago") is said again each minute. */
  private updateAgeTicker(): void {
    const anyStale = this.model.instances.some((instance) => {
      const entry = this.fetched.get(instance.instanceId);
      return entry?.state === "loaded" && entry.result.stale === true;
    });
    if (anyStale && !this.ageTicker) this.ageTicker = setInterval(() => this.emitter.fire(undefined), 60_000);
    if (!anyStale && this.ageTicker) {
      clearInterval(this.ageTicker);
      this.ageTicker = undefined;
    }
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
        return issueItem(node.instanceId, node.issue, this.model.capabilities(node.instanceId));
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
    const query = this.filters.get(instance.instanceId);
    const item = new vscode.TreeItem(
      instanceLabel(instance),
      this.folds.isFolded(instance.instanceId)
        ? vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.Expanded,
    );
    item.id = instance.instanceId;
    const stale = fetched?.state === "loaded" ? staleNote(fetched.result, new Date()) : undefined;
    item.description = [instanceDescription(instance, counts, query), stale].filter(Boolean).join(" · ");
    item.contextValue = instanceContextValue(this.model.capabilities(instance.instanceId), query !== undefined);
    item.iconPath = new vscode.ThemeIcon(
      instance.state === "connected" ? "plug" : instance.state === "error" ? "error" : "warning",
    );
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(`${instance.baseUrl}\n`);
    tooltip.appendText(`State: ${instance.state}${instance.error ? ` (${instance.error})` : ""}\n`);
    if (instance.insecure) tooltip.appendText(`⚠ ${INSECURE_LABEL}: ${INSECURE_EXPLANATION}\n`);
    if (instance.user) tooltip.appendText(`User: ${instance.user.displayName}\n`);
    if (instance.serverVersion) tooltip.appendText(`Server: ${instance.serverVersion}\n`);
    tooltip.appendText(query ? `Query: ${query}` : "Your unresolved issues (set a filter to change)");
    const staleWords = fetched?.state === "loaded" ? staleTooltip(fetched.result) : undefined;
    if (staleWords) tooltip.appendText(`\n\n${staleWords}`);
    item.tooltip = tooltip;
    return item;
  }

  dispose(): void {
    if (this.ageTicker) clearInterval(this.ageTicker);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

function issueItem(instanceId: string, issue: Issue, caps: Capabilities): vscode.TreeItem {
  const item = new vscode.TreeItem(`${issue.key} ${issue.title}`, vscode.TreeItemCollapsibleState.None);
  item.id = `${instanceId}/issue/${issue.key}`;
  const node: IssuesNode = { kind: "issue", instanceId, issue };
  if (caps.canOpenDetails) item.command = { title: "Open Details", command: "issuebridge.openIssueDetails", arguments: [node] };
  item.description = issueDescription(issue);
  item.contextValue = issueContextValue(caps);
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
