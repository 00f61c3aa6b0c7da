// Commands that act on one issue or create one: Open Details, Start Work,
// Create Issue. Run from the Issues view (a node), or from the palette.
import * as vscode from "vscode";
import type { AgentConnection } from "../agent/connection";
import { createIssue } from "../create/createCommand";
import type { CreateContext } from "../create/createPanel";
import { IssueDetailPanel, type DetailContext } from "../detail/detailPanel";
import { describeFailure, toFailure } from "../errors";
import type { ProvidersModel } from "../providersModel";
import { startWork, type IssueRef } from "../work/startWork";
import type { IssuesNode } from "./issuesTree";

function issueRefOf(node: unknown): IssueRef | undefined {
  if (typeof node !== "object" || node === null) return undefined;
  const candidate = node as Partial<Extract<IssuesNode, { kind: "issue" }>>;
  if (candidate.kind === "issue" && typeof candidate.instanceId === "string" && candidate.issue) {
    return { instanceId: candidate.instanceId, key: candidate.issue.key };
  }
  return undefined;
}

function instanceOf(node: unknown): Extract<IssuesNode, { kind: "instance" }>["instance"] | undefined {
  if (typeof node !== "object" || node === null) return undefined;
  const candidate = node as Partial<Extract<IssuesNode, { kind: "instance" }>>;
  return candidate.kind === "instance" ? candidate.instance : undefined;
}

export function registerWorkCommands(
  agent: AgentConnection,
  model: ProvidersModel,
  detail: DetailContext,
  create: CreateContext,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand("issuebridge.openIssueDetails", (node?: unknown) => {
      const ref = issueRefOf(node);
      if (ref && model.capabilities(ref.instanceId).canOpenDetails) IssueDetailPanel.show(detail, ref);
    }),
    vscode.commands.registerCommand("issuebridge.startWork", async (node?: unknown) => {
      const ref = issueRefOf(node);
      if (!ref || !model.capabilities(ref.instanceId).canStartWork) return;
      try {
        await startWork(agent, ref);
        detail.onIssueChanged(ref.instanceId);
        IssueDetailPanel.reloadIfOpen(ref);
      } catch (error) {
        void vscode.window.showErrorMessage(`Start Work on ${ref.key}: ${describeFailure(toFailure(error))}`);
      }
    }),
    vscode.commands.registerCommand("issuebridge.createIssue", (node?: unknown) =>
      createIssue(agent, model, create, instanceOf(node)),
    ),
  ];
}
