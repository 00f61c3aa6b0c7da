// Hosts the Integrations webview: one panel at a time, fed with the agent's
// state, and the place where the webview's messages become agent requests.
// A serializer brings the panel back after a reload (the webview keeps only
// non-secret state: which form is chosen).
import * as vscode from "vscode";
import type { AgentConnection } from "../agent/connection";
import { toFailure } from "../errors";
import type { ProvidersModel } from "../providersModel";
import { secretFileNoteKey } from "../secretStorage";
import { isActionMessage, runAction } from "./actions";
import { openGuide } from "./guide";
import { webviewOptions, loadShell } from "./webviewHost";
import { parseWebviewMessage, type ActionValue, type HostMessage } from "./messages";

export const PANEL_VIEW_TYPE = "issuebridge.integrations";

export interface PanelContext {
  extensionUri: vscode.Uri;
  agent: AgentConnection;
  model: ProvidersModel;
  /** Remembers the dismissed secret-file note across windows. */
  globalState: vscode.Memento;
  /** An instance was just connected (configure, authorize, unlock): its issues are stale. */
  onConnected(instanceId: string): void;
}


export class IntegrationsPanel implements vscode.Disposable {
  private static current: IntegrationsPanel | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** URLs and files the agent named: the only ones the webview may ask us to open. */
  private readonly authorizeUrls = new Set<string>();
  private readonly repairPaths = new Set<string>();

  static show(context: PanelContext): void {
    if (IntegrationsPanel.current) {
      IntegrationsPanel.current.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, "Integrations", vscode.ViewColumn.Active, {
      ...webviewOptions(context.extensionUri),
      // A token typed but not yet accepted, or a pending authorization's paste box,
      // lives only in the page (never in persisted state): keep the page while the
      // panel is behind another tab.
      retainContextWhenHidden: true,
    });
    IntegrationsPanel.current = new IntegrationsPanel(panel, context);
  }

  /** Registered at activation: VS Code hands back the panel that was open before a reload. */
  static serializer(context: PanelContext): vscode.WebviewPanelSerializer {
    return {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
        if (IntegrationsPanel.current) {
          panel.dispose();
          return;
        }
        panel.webview.options = webviewOptions(context.extensionUri);
        IntegrationsPanel.current = new IntegrationsPanel(panel, context);
      },
    };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: PanelContext,
  ) {
    const webview = panel.webview;
    loadShell(panel, context.extensionUri, "main.js", "Integrations");
    this.subscriptions.push(
      webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      context.model.onDidChange(() => this.postState()),
      context.agent.onDidChangeStatus(() => this.postState()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.postState()),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private postState(): void {
    const storage = this.context.model.secretStorage;
    const noteDue = storage?.kind === "file" && !this.context.globalState.get<boolean>(secretFileNoteKey(storage));
    this.post({
      type: "state",
      agent: this.context.agent.status,
      providers: this.context.model.providers,
      workspaceOpen: (vscode.workspace.workspaceFolders?.length ?? 0) > 0,
      ...(noteDue ? { secretFileNote: storage.path ? { path: storage.path } : {} } : {}),
    });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) return; // not ours, or malformed: ignore rather than act on it
    if (isActionMessage(message)) {
      try {
        const value = await runAction(message, this.context.agent, this.context.model);
        this.afterAction(value);
        this.post({ type: "result", requestId: message.requestId, ok: true, value });
      } catch (error) {
        const failure = toFailure(error);
        if (failure.action === "repairStorage" && failure.path) this.repairPaths.add(failure.path);
        this.post({ type: "result", requestId: message.requestId, ok: false, failure });
      }
      return;
    }
    switch (message.type) {
      case "ready":
        this.postState();
        return;
      case "copy":
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.setStatusBarMessage("Copied to the clipboard", 3000);
        return;
      case "openAuthorizePage":
        if (this.authorizeUrls.has(message.url)) await vscode.env.openExternal(vscode.Uri.parse(message.url, true));
        return;
      case "openGuide":
        await openGuide(this.context.model, message.providerId, message.methodId);
        return;
      case "openCaBundleSetting":
        await vscode.commands.executeCommand("workbench.action.openSettings", "issuebridge.http.caBundle");
        return;
      case "revealFile":
        if (this.repairPaths.has(message.path)) {
          await vscode.commands.executeCommand("revealFileInOS", vscode.Uri.file(message.path));
        }
        return;
      case "dismissSecretFileNote": {
        const storage = this.context.model.secretStorage;
        if (storage) await this.context.globalState.update(secretFileNoteKey(storage), true);
        this.postState();
        return;
      }
      case "restartAgent":
        await vscode.commands.executeCommand("issuebridge.restartAgent");
        return;
      case "showLog":
        await vscode.commands.executeCommand("issuebridge.showLog");
        return;
    }
  }

  private afterAction(value: ActionValue): void {
    if (value.action === "authorize" && value.authorizeUrl) this.authorizeUrls.add(value.authorizeUrl);
    if ((value.action === "configure" || value.action === "authorize") && value.instance.state === "connected") {
      this.context.onConnected(value.instance.instanceId);
    }
  }

  dispose(): void {
    IntegrationsPanel.current = undefined;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.panel.dispose();
  }
}
