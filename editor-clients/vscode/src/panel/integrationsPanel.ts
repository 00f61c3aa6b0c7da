// Hosts the Integrations webview: one panel at a time, fed with the agent's
// state, and the place where the webview's messages become agent requests.
import * as vscode from "vscode";
import type { AgentConnection } from "../agent/connection";
import { toFailure } from "../errors";
import type { ProvidersModel } from "../providersModel";
import { runAction } from "./actions";
import { makeNonce, panelHtml } from "./html";
import { parseWebviewMessage, type HostMessage } from "./messages";

export const PANEL_VIEW_TYPE = "issuebridge.integrations";

export class IntegrationsPanel implements vscode.Disposable {
  private static current: IntegrationsPanel | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  static show(extensionUri: vscode.Uri, agent: AgentConnection, model: ProvidersModel): void {
    if (IntegrationsPanel.current) {
      IntegrationsPanel.current.panel.reveal();
      return;
    }
    const webviewRoot = vscode.Uri.joinPath(extensionUri, "dist", "webview");
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, "Integrations", vscode.ViewColumn.Active, {
      enableScripts: true,
      enableCommandUris: false,
      enableForms: false,
      // The webview may load files from its own folder and nowhere else.
      localResourceRoots: [webviewRoot],
    });
    panel.iconPath = vscode.Uri.joinPath(extensionUri, "media", "issuebridge.svg");
    IntegrationsPanel.current = new IntegrationsPanel(panel, webviewRoot, agent, model);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    webviewRoot: vscode.Uri,
    private readonly agent: AgentConnection,
    private readonly model: ProvidersModel,
  ) {
    const webview = panel.webview;
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, "main.js")).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, "styles.css")).toString(),
    });
    this.subscriptions.push(
      webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      model.onDidChange(() => this.postState()),
      agent.onDidChangeStatus(() => this.postState()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.postState()),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private postState(): void {
    this.post({
      type: "state",
      agent: this.agent.status,
      providers: this.model.providers,
      workspaceOpen: (vscode.workspace.workspaceFolders?.length ?? 0) > 0,
    });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) return; // not ours, or malformed: ignore rather than act on it
    switch (message.type) {
      case "ready":
        this.postState();
        return;
      case "copy":
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.setStatusBarMessage("Copied to the clipboard", 3000);
        return;
      case "restartAgent":
        await vscode.commands.executeCommand("issuebridge.restartAgent");
        return;
      case "showLog":
        await vscode.commands.executeCommand("issuebridge.showLog");
        return;
      default:
        try {
          const value = await runAction(message, this.agent, this.model);
          this.post({ type: "result", requestId: message.requestId, ok: true, value });
        } catch (error) {
          this.post({ type: "result", requestId: message.requestId, ok: false, failure: toFailure(error) });
        }
    }
  }

  dispose(): void {
    IntegrationsPanel.current = undefined;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.panel.dispose();
  }
}
