// Entry point: wires the agent connection, the shared providers model, the
// Integrations panel, the Issues view and the status bar together.
import * as vscode from "vscode";
import { AgentConnection } from "./agent/connection";
import { hasPythonExtension, onDidChangeInterpreter } from "./agent/findPython";
import { issuesLimit } from "./agent/settings";
import type { CreateContext } from "./create/createPanel";
import type { DetailContext } from "./detail/detailPanel";
import { IssueDetailPanel } from "./detail/detailPanel";
import { registerIssueCommands } from "./issues/commands";
import { registerWorkCommands } from "./issues/workCommands";
import { FoldState } from "./issues/foldState";
import { IssuesTree, ISSUES_VIEW_ID } from "./issues/issuesTree";
import { JqlFilters } from "./issues/jqlFilters";
import { registerCreateFromComment } from "./keys/createFromComment";
import { IntegrationsPanel, PANEL_VIEW_TYPE, type PanelContext } from "./panel/integrationsPanel";
import { ProvidersModel } from "./providersModel";
import { createStatusBar } from "./status/statusBar";

let agent: AgentConnection | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel("issuebridge", { log: true });
  agent = new AgentConnection(context.extensionPath, log);
  const connection = agent;
  const model = new ProvidersModel(connection);
  const filters = new JqlFilters(context.workspaceState);
  const folds = new FoldState(context.workspaceState);
  const tree = new IssuesTree(
    connection,
    model,
    filters,
    () => issuesLimit(vscode.workspace.getConfiguration("issuebridge")),
    folds,
  );
  const treeView = vscode.window.createTreeView(ISSUES_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const panelContext: PanelContext = {
    extensionUri: context.extensionUri,
    agent: connection,
    model,
    globalState: context.globalState,
    onConnected: (instanceId) => tree.refresh(instanceId),
  };

  const detailContext: DetailContext = {
    extensionUri: context.extensionUri,
    agent: connection,
    model,
    onIssueChanged: (instanceId) => tree.refresh(instanceId),
  };
  const createContext: CreateContext = {
    extensionUri: context.extensionUri,
    agent: connection,
    onCreated: (instanceId) => tree.refresh(instanceId),
    openDetails: (instanceId, key) => IssueDetailPanel.show(detailContext, { instanceId, key }),
  };

  context.subscriptions.push(
    log,
    connection,
    model,
    tree,
    treeView,
    // Folded instances stay folded across reloads.
    treeView.onDidCollapseElement(({ element }) => {
      if (element.kind === "instance") void folds.setFolded(element.instance.instanceId, true);
    }),
    treeView.onDidExpandElement(({ element }) => {
      if (element.kind === "instance") void folds.setFolded(element.instance.instanceId, false);
    }),
    createStatusBar(connection, model),
    ...registerIssueCommands(tree, model, filters),
    ...registerWorkCommands(connection, model, detailContext, createContext),
    registerCreateFromComment(connection, model, createContext),
    vscode.commands.registerCommand("issuebridge.openIntegrations", () => IntegrationsPanel.show(panelContext)),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, IntegrationsPanel.serializer(panelContext)),
    vscode.commands.registerCommand("issuebridge.restartAgent", () => connection.restart()),
    vscode.commands.registerCommand("issuebridge.showLog", () => log.show()),
    // package.json's menus read this context key (see capabilities.ts).
    model.onDidChange(() => void vscode.commands.executeCommand("setContext", "issuebridge.noCreateIssue", model.noCreateIssue)),
    connection.onDidChangeStatus((status) => {
      if (status.state === "failed" && status.noPython) void offerPythonFix(status.reason);
    }),
  );

  const interpreterWatch = await onDidChangeInterpreter(() => {
    // Only matters when the agent runs on the Python extension's interpreter.
    const config = vscode.workspace.getConfiguration("issuebridge.agent");
    if (!config.get<string>("pythonPath") && (config.get<string[]>("command") ?? []).length === 0) {
      void connection.restart();
    }
  });
  if (interpreterWatch) context.subscriptions.push(interpreterWatch);

  void connection.start();
}

async function offerPythonFix(reason: string): Promise<void> {
  const actions = hasPythonExtension()
    ? ["Select Interpreter", "Open Settings", "Retry"]
    : ["Open Settings", "Retry"];
  const choice = await vscode.window.showErrorMessage(reason, ...actions);
  if (choice === "Select Interpreter") await vscode.commands.executeCommand("python.setInterpreter");
  if (choice === "Open Settings") await vscode.commands.executeCommand("workbench.action.openSettings", "issuebridge.agent");
  if (choice === "Retry") await vscode.commands.executeCommand("issuebridge.restartAgent");
}

export async function deactivate(): Promise<void> {
  await agent?.stop();
}
