// "Create issue from this comment" (the agent's code action on a TODO/FIXME
// line): vscode-languageclient registers the agent's command; the extension runs
// it itself, through its own Create Issue flow (pickers, then the form with the
// required fields) started with the comment's text, then puts the new key in
// place of that text, if it is still there.
import * as vscode from "vscode";
import type { AgentConnection } from "../agent/connection";
import { createIssue } from "../create/createCommand";
import type { CreateContext } from "../create/createPanel";
import type { CreateFromCommentArgs, Issue } from "../protocol";
import type { ProvidersModel } from "../providersModel";
import { commentFields, commentPlace, CREATE_ISSUE_FROM_COMMENT, parseCommentArgs, proposedIssueType } from "./commentArgs";

export function registerCreateFromComment(agent: AgentConnection, model: ProvidersModel, context: CreateContext): vscode.Disposable {
  return agent.interceptCommand(CREATE_ISSUE_FROM_COMMENT, async (args) => {
    const comment = parseCommentArgs(args);
    if (!comment) {
      agent.log.warn(`${CREATE_ISSUE_FROM_COMMENT}: an argument of an unknown shape: ${JSON.stringify(args).slice(0, 500)}`);
      void vscode.window.showErrorMessage("Create issue from this comment: the agent sent a comment this extension cannot read.");
      return undefined;
    }
    // Resolves once the form is open (or the user cancelled a picker): the rest
    // happens when, and if, the user presses Create.
    await createIssue(agent, model, context, undefined, {
      ...(comment.instanceId ? { instanceId: comment.instanceId } : {}),
      ...(comment.projectKey ? { projectKey: comment.projectKey } : {}),
      issueType: proposedIssueType,
      title: `Create an issue from ${commentPlace(comment)}`,
      initial: commentFields(comment),
      afterCreate: (issue, instanceId) => announce(comment, issue, instanceId, context),
    });
    return undefined;
  });
}

/** Replaces the comment's text with `key`, only while the document still has that text there. */
export async function putKeyInComment(comment: CreateFromCommentArgs, key: string): Promise<boolean> {
  try {
    const uri = vscode.Uri.parse(comment.uri, true);
    const document = await vscode.workspace.openTextDocument(uri);
    const range = new vscode.Range(comment.line, comment.startCharacter, comment.line, comment.endCharacter);
    if (document.getText(document.validateRange(range)) !== comment.text) return false;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, range, key);
    return await vscode.workspace.applyEdit(edit);
  } catch {
    return false; // the document is gone, or cannot be edited (the SCM box of a closed repository)
  }
}

async function announce(comment: CreateFromCommentArgs, issue: Issue, instanceId: string, context: CreateContext): Promise<void> {
  const edited = await putKeyInComment(comment, issue.key);
  const place = commentPlace(comment);
  const message = edited
    ? `Created ${issue.key}: ${issue.title}. The comment at ${place} now names it.`
    : `Created ${issue.key}: ${issue.title}. The comment at ${place} changed meanwhile, so it was left as it is.`;
  const choice = await vscode.window.showInformationMessage(message, "Open");
  if (choice === "Open") context.openDetails(instanceId, issue.key);
}
