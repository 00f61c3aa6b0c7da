// Start Work: the agent assigns the issue to the user and moves it to in
// progress (`issues/startWork`) and names the branch; then the branch is
// created (or checked out) in the workspace's repository through the built-in
// Git extension, after asking when uncommitted changes would travel along.
import * as path from "node:path";
import * as vscode from "vscode";
import type { AgentConnection } from "../agent/connection";
import { Requests, type StartWorkResult } from "../protocol";
import { hasUncommittedChanges, planBranch } from "./branchPlan";
import { gitApi, type GitRepository } from "./gitApi";

export interface IssueRef {
  instanceId: string;
  key: string;
}

/**
 * Runs the agent's part (whose failure rejects, in the agent's words, for the
 * caller to show) and then the git part (which reports for itself).
 */
export async function startWork(agent: AgentConnection, ref: IssueRef): Promise<StartWorkResult> {
  const result = await agent.requestWithProgress(
    Requests.issuesStartWork,
    { instanceId: ref.instanceId, key: ref.key },
    { title: `Starting work on ${ref.key}` },
  );
  switchToBranch(result).catch((error: unknown) => {
    void vscode.window.showErrorMessage(`Could not switch to branch ${result.branchName}: ${String(error)}`);
  });
  return result;
}

async function switchToBranch(result: StartWorkResult): Promise<void> {
  const { branchName } = result;
  const key = result.issue.key;
  const api = await gitApi();
  const repository = api ? await pickRepository(api.repositories) : undefined;
  if (!repository) {
    const why = api ? "No git repository is open in this window" : "The built-in Git extension is disabled";
    await offerCopy(`${key} is yours and ${result.issue.status.name}. ${why}: the branch would be ${branchName}.`, branchName);
    return;
  }
  try {
    await repository.status();
    const current = repository.state.HEAD?.name;
    const existing = (await repository.getBranches({ remote: false }))
      .map((branch) => branch.name)
      .filter((name): name is string => Boolean(name));
    const plan = planBranch(branchName, current, existing, hasUncommittedChanges(repository.state));
    if (plan.step === "alreadyOn") {
      void vscode.window.showInformationMessage(`${key} is yours and ${result.issue.status.name}; already on branch ${branchName}.`);
      return;
    }
    if (plan.askFirst) {
      const choice = await vscode.window.showWarningMessage(
        `Uncommitted changes in ${folderName(repository)}: switch to branch ${branchName} anyway? They go along to it.`,
        { modal: true },
        "Switch",
      );
      if (choice !== "Switch") {
        await offerCopy(`${key} is yours and ${result.issue.status.name}; the branch ${branchName} was not switched to.`, branchName);
        return;
      }
    }
    if (plan.step === "create") await repository.createBranch(branchName, true);
    else await repository.checkout(branchName);
    void vscode.window.showInformationMessage(
      `${key} is yours and ${result.issue.status.name}; on branch ${branchName}${plan.step === "create" ? " (new)" : ""}.`,
    );
  } catch (error) {
    // Git's own words (a branch name git refuses, a checkout a change blocks).
    const message = error instanceof Error ? error.message : String(error);
    const detail = (error as { stderr?: unknown }).stderr;
    await offerCopy(
      `Could not switch to branch ${branchName}: ${typeof detail === "string" && detail.trim() ? detail.trim() : message}`,
      branchName,
      "error",
    );
  }
}

async function pickRepository(repositories: readonly GitRepository[]): Promise<GitRepository | undefined> {
  if (repositories.length <= 1) return repositories[0];
  const picked = await vscode.window.showQuickPick(
    repositories.map((repository) => ({ label: folderName(repository), description: repository.rootUri.fsPath, repository })),
    { placeHolder: "Create the branch in which repository?" },
  );
  return picked?.repository;
}

function folderName(repository: GitRepository): string {
  return path.basename(repository.rootUri.fsPath);
}

async function offerCopy(message: string, branchName: string, severity: "info" | "error" = "info"): Promise<void> {
  const show = severity === "error" ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
  const choice = await show(message, "Copy Branch Name");
  if (choice === "Copy Branch Name") {
    await vscode.env.clipboard.writeText(branchName);
    void vscode.window.setStatusBarMessage(`Copied ${branchName}`, 3000);
  }
}
