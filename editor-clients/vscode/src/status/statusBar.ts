// The status-bar item: agent and connection state at a glance; a click opens
// the Integrations panel.
import * as vscode from "vscode";
import type { AgentConnection } from "../agent/connection";
import type { ProvidersModel } from "../providersModel";
import { summarize } from "./summary";

export function createStatusBar(agent: AgentConnection, model: ProvidersModel): vscode.Disposable {
  const item = vscode.window.createStatusBarItem("issuebridge.status", vscode.StatusBarAlignment.Left, 10);
  item.name = "issuebridge";
  item.command = "issuebridge.openIntegrations";

  const update = (): void => {
    const status = agent.status;
    const summary = summarize(status.state, status.state === "failed" ? status.reason : undefined, model.instances);
    item.text = summary.text;
    item.tooltip = summary.tooltip;
    item.backgroundColor =
      summary.severity === "error"
        ? new vscode.ThemeColor("statusBarItem.errorBackground")
        : summary.severity === "warning"
          ? new vscode.ThemeColor("statusBarItem.warningBackground")
          : undefined;
    item.accessibilityInformation = { label: summary.text.replace(/\$\([^)]*\)\s*/g, "") };
  };
  update();
  item.show();
  return vscode.Disposable.from(item, agent.onDidChangeStatus(update), model.onDidChange(update));
}
