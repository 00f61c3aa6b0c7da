// Hosts an issue's detail webview: one panel per issue, fed by `issues/get`,
// and the place where its actions (transition, assign, comment, start work)
// become agent requests; only those the instance's tracker supports are
// offered (capabilities.ts). After a change the issue is read again and the
// Issues view refreshed; a refused action's error goes back to the webview,
// to be shown beside that action in the agent's words.
import * as vscode from "vscode";
import type { AgentConnection } from "../agent/connection";
import { ACTION_WORDS, unsupportedMessage } from "../capabilities";
import { toFailure } from "../errors";
import { instanceLabel } from "../issues/grouping";
import { webviewOptions, loadShell } from "../panel/webviewHost";
import { Requests, type IssueDetail, type User } from "../protocol";
import type { ProvidersModel } from "../providersModel";
import { startWork, type IssueRef } from "../work/startWork";
import { actionSupported, parseDetailMessage, type DetailHostMessage, type DetailMessage } from "./messages";

export const DETAIL_VIEW_TYPE = "issuebridge.issueDetail";

export interface DetailContext {
  extensionUri: vscode.Uri;
  agent: AgentConnection;
  model: ProvidersModel;
  /** Something about an issue of this instance changed: its list is stale. */
  onIssueChanged(instanceId: string): void;
}

function refId(ref: IssueRef): string {
  return `${ref.instanceId}\u0000${ref.key}`;
}

export class IssueDetailPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, IssueDetailPanel>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private issue: IssueDetail | undefined;

  static show(context: DetailContext, ref: IssueRef): void {
    const open = IssueDetailPanel.panels.get(refId(ref));
    if (open) {
      open.panel.reveal();
      void open.load();
      return;
    }
    const panel = vscode.window.createWebviewPanel(DETAIL_VIEW_TYPE, ref.key, vscode.ViewColumn.Active, {
      ...webviewOptions(context.extensionUri),
      // A comment being written stays while the panel is behind another tab.
      retainContextWhenHidden: true,
    });
    IssueDetailPanel.panels.set(refId(ref), new IssueDetailPanel(panel, context, ref));
  }

  /** The issue changed elsewhere (Start Work from the Issues view): read it again if it is open. */
  static reloadIfOpen(ref: IssueRef): void {
    void IssueDetailPanel.panels.get(refId(ref))?.load();
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: DetailContext,
    private readonly ref: IssueRef,
  ) {
    loadShell(panel, context.extensionUri, "detail.js", ref.key);
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private post(message: DetailHostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private async load(): Promise<void> {
    try {
      const { issue } = await this.context.agent.request(Requests.issuesGet, this.ref);
      this.issue = issue;
      this.panel.title = `${issue.key} ${issue.title}`.slice(0, 60);
      const instance = this.context.model.instance(this.ref.instanceId);
      this.post({
        type: "issue",
        issue,
        instanceLabel: instance ? instanceLabel(instance) : this.ref.instanceId,
        actions: this.context.model.capabilities(this.ref.instanceId).detailActions(),
      });
    } catch (error) {
      this.post({ type: "loadFailed", failure: toFailure(error) });
    }
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseDetailMessage(raw);
    if (!message) return; // not ours, or malformed: ignore rather than act on it
    switch (message.type) {
      case "ready":
      case "refresh":
        await this.load();
        return;
      case "openInBrowser":
        if (this.issue) await vscode.env.openExternal(vscode.Uri.parse(this.issue.url, true));
        return;
      case "copy":
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.setStatusBarMessage(`Copied ${message.text}`, 3000);
        return;
      default:
        await this.runAction(message);
    }
  }

  private async runAction(message: Exclude<DetailMessage, { type: "ready" | "refresh" | "openInBrowser" | "copy" }>): Promise<void> {
    const provider = this.context.model.providerOfInstance(this.ref.instanceId);
    if (!actionSupported(message, this.context.model.capabilities(this.ref.instanceId).detailActions())) {
      // The webview offers no such control; a stale one is refused here, unsent.
      const failure = toFailure(new Error(unsupportedMessage(provider?.name, ACTION_WORDS[message.type])));
      this.post({ type: "result", requestId: message.requestId, ok: false, failure });
      return;
    }
    try {
      const users = await this.request(message);
      this.post({ type: "result", requestId: message.requestId, ok: true, ...(users ? { users } : {}) });
      if (message.type !== "searchAssignees") {
        this.context.onIssueChanged(this.ref.instanceId);
        await this.load();
      }
    } catch (error) {
      this.post({ type: "result", requestId: message.requestId, ok: false, failure: toFailure(error) });
    }
  }

  /** The agent request behind an action; the assignee search answers users. */
  private async request(message: Exclude<DetailMessage, { type: "ready" | "refresh" | "openInBrowser" | "copy" }>): Promise<User[] | undefined> {
    const { agent } = this.context;
    const { instanceId, key } = this.ref;
    switch (message.type) {
      case "transition":
        await agent.request(Requests.issuesTransition, {
          instanceId,
          key,
          transitionId: message.transitionId,
          ...(message.comment ? { comment: message.comment } : {}),
        });
        return undefined;
      case "assign":
        await agent.request(Requests.issuesAssign, { instanceId, key, assignee: message.assignee });
        return undefined;
      case "searchAssignees":
        return (await agent.request(Requests.issuesAssignees, { instanceId, key, query: message.query })).users;
      case "comment":
        await agent.request(Requests.issuesComment, { instanceId, key, body: message.body });
        return undefined;
      case "startWork":
        await startWork(agent, this.ref);
        return undefined;
    }
  }

  dispose(): void {
    IssueDetailPanel.panels.delete(refId(this.ref));
    for (const subscription of this.subscriptions) subscription.dispose();
    this.panel.dispose();
  }
}
