// Hosts a create form: the fields `issues/createForm` described for one
// project and issue type, and the `issues/create` its Create button sends.
// Jira's per-field errors go back to the webview, beside their fields.
import * as vscode from "vscode";
import type { AgentConnection } from "../agent/connection";
import { toFailure } from "../errors";
import { loadShell, webviewOptions } from "../panel/webviewHost";
import { Requests, type Issue } from "../protocol";
import { parseCreateMessage, type CreateHostMessage, type FormDescription } from "./messages";

export const CREATE_VIEW_TYPE = "issuebridge.createIssue";

export interface CreateContext {
  extensionUri: vscode.Uri;
  agent: AgentConnection;
  /** A new issue exists: refresh that instance's list. */
  onCreated(instanceId: string): void;
  /** Open the new issue's detail view. */
  openDetails(instanceId: string, key: string): void;
}

export interface CreateTarget extends FormDescription {
  instanceId: string;
  /** The id of the issue type the fields are of. */
  issueType: string;
}

export class CreateIssuePanel implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Keys this form created: the only ones its webview may ask to open. */
  private readonly created = new Set<string>();

  /**
   * `afterCreate`, when given, runs instead of the usual notification once the
   * form created its first issue (create from a comment puts the key in it).
   */
  static show(context: CreateContext, target: CreateTarget, afterCreate?: (issue: Issue, instanceId: string) => Promise<void>): void {
    const panel = vscode.window.createWebviewPanel(
      CREATE_VIEW_TYPE,
      `New ${target.issueTypeName} in ${target.projectKey}`,
      vscode.ViewColumn.Active,
      // What was typed stays while the panel is behind another tab.
      { ...webviewOptions(context.extensionUri), retainContextWhenHidden: true },
    );
    new CreateIssuePanel(panel, context, target, afterCreate);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: CreateContext,
    private readonly target: CreateTarget,
    private afterCreate?: (issue: Issue, instanceId: string) => Promise<void>,
  ) {
    loadShell(panel, context.extensionUri, "create.js", panel.title);
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private post(message: CreateHostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseCreateMessage(raw);
    if (!message) return; // not ours, or malformed: ignore rather than act on it
    const { instanceId, issueType, projectKey, instanceLabel, projectName, issueTypeName, fields, initial } = this.target;
    switch (message.type) {
      case "ready":
        this.post({ type: "form", instanceLabel, projectKey, projectName, issueTypeName, fields, ...(initial ? { initial } : {}) });
        return;
      case "copy":
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.setStatusBarMessage(`Copied ${message.text}`, 3000);
        return;
      case "openCreated":
        if (this.created.has(message.key)) this.context.openDetails(instanceId, message.key);
        return;
      case "create":
        try {
          const { issue } = await this.context.agent.requestWithProgress(
            Requests.issuesCreate,
            { instanceId, projectKey, issueType, fields: message.fields },
            { title: `Creating an issue in ${projectKey}`, cancellable: false },
          );
          this.created.add(issue.key);
          this.post({ type: "result", requestId: message.requestId, ok: true, issue });
          this.context.onCreated(instanceId);
          const afterCreate = this.afterCreate;
          this.afterCreate = undefined; // once: "Create Another" makes an issue of its own
          void (afterCreate ? afterCreate(issue, instanceId) : this.announce(issue));
        } catch (error) {
          this.post({ type: "result", requestId: message.requestId, ok: false, failure: toFailure(error) });
        }
        return;
    }
  }

  private async announce(issue: Issue): Promise<void> {
    const choice = await vscode.window.showInformationMessage(`Created ${issue.key}: ${issue.title}`, "Open", "Copy Key");
    if (choice === "Open") this.context.openDetails(this.target.instanceId, issue.key);
    if (choice === "Copy Key") {
      await vscode.env.clipboard.writeText(issue.key);
      void vscode.window.setStatusBarMessage(`Copied ${issue.key}`, 3000);
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.panel.dispose();
  }
}
