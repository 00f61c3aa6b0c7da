// "Create Issue": pick the instance (when several are connected), the project
// (`projects/list`) and the issue type (`issues/createForm`'s `issueTypes`),
// then open the form for that type. A caller may propose the instance, project
// and type (listed first) and the form's starting values (create from a comment).
import * as vscode from "vscode";
import type { AgentConnection } from "../agent/connection";
import { describeFailure, toFailure } from "../errors";
import { instanceLabel } from "../issues/grouping";
import { proposedFirst } from "../keys/commentArgs";
import { Requests, type CreateFormResult, type Instance, type Issue, type IssueType } from "../protocol";
import type { ProvidersModel } from "../providersModel";
import { CreateIssuePanel, type CreateContext } from "./createPanel";

export interface CreateProposal {
  /** Listed first when several instances can create. */
  instanceId?: string;
  /** Listed first in the project picker. */
  projectKey?: string;
  /** The id of the type listed first, from the types the project offers. */
  issueType?: (types: readonly IssueType[], defaultId: string) => string;
  /** The pickers' title, e.g. "Create an issue from src/a.ts:3". */
  title?: string;
  /** Values the form starts with, by field name. */
  initial?: Record<string, string>;
  /** Runs, instead of the usual notification, once the form created its first issue. */
  afterCreate?: (issue: Issue, instanceId: string) => Promise<void>;
}

export async function createIssue(
  agent: AgentConnection,
  model: ProvidersModel,
  context: CreateContext,
  preferred?: Instance,
  proposal: CreateProposal = {},
): Promise<void> {
  try {
    const instance = preferred ?? (await pickInstance(model, proposal.instanceId));
    if (!instance || !model.capabilities(instance.instanceId).canCreate) return;
    const label = instanceLabel(instance);
    const projects = agent.request(Requests.projectsList, { instanceId: instance.instanceId }).then(({ projects }) =>
      proposedFirst(projects, (project) => project.key === proposal.projectKey).map((project) => ({
        label: project.key,
        description: project.key === proposal.projectKey ? `${project.name} · proposed` : project.name,
        project,
      })),
    );
    const picked = await vscode.window.showQuickPick(projects, {
      title: proposal.title ?? `Create an issue in ${label}`,
      placeHolder: "Which project?",
      matchOnDescription: true,
      ignoreFocusOut: true,
    });
    if (!picked) return;
    const projectKey = picked.project.key;
    let form: CreateFormResult = await agent.request(Requests.issuesCreateForm, { instanceId: instance.instanceId, projectKey });
    if (form.issueTypes.length > 1) {
      const first = proposal.issueType?.(form.issueTypes, form.issueType);
      const type = await vscode.window.showQuickPick(
        proposedFirst(form.issueTypes, (issueType) => issueType.id === first).map((issueType) => ({ label: issueType.name, issueType })),
        { title: proposal.title ?? `Create an issue in ${projectKey}`, placeHolder: "Which issue type?", ignoreFocusOut: true },
      );
      if (!type) return;
      if (type.issueType.id !== form.issueType) {
        form = await agent.request(Requests.issuesCreateForm, {
          instanceId: instance.instanceId,
          projectKey,
          issueType: type.issueType.id,
        });
      }
    }
    const issueTypeName = form.issueTypes.find((type) => type.id === form.issueType)?.name ?? form.issueType;
    CreateIssuePanel.show(
      context,
      {
        instanceId: instance.instanceId,
        instanceLabel: label,
        projectKey,
        projectName: picked.project.name,
        issueType: form.issueType,
        issueTypeName,
        fields: form.fields,
        ...(proposal.initial ? { initial: proposal.initial } : {}),
      },
      proposal.afterCreate,
    );
  } catch (error) {
    // The agent's words (a form the extension cannot render names its field).
    void vscode.window.showErrorMessage(describeFailure(toFailure(error)));
  }
}

async function pickInstance(model: ProvidersModel, proposed?: string): Promise<Instance | undefined> {
  let connected = model.instances.filter((instance) => instance.state === "connected");
  if (connected.length === 0) {
    const choice = await vscode.window.showWarningMessage("Connect an issue tracker first.", "Open Integrations");
    if (choice) await vscode.commands.executeCommand("issuebridge.openIntegrations");
    return undefined;
  }
  // Only where the tracker supports creating (the command is hidden when none does).
  connected = connected.filter((instance) => model.capabilities(instance.instanceId).canCreate);
  if (connected.length === 0) return undefined;
  if (connected.length === 1) return connected[0];
  const picked = await vscode.window.showQuickPick(
    proposedFirst(connected, (instance) => instance.instanceId === proposed).map((instance) => ({
      label: instanceLabel(instance),
      description: instance.user?.displayName,
      instance,
    })),
    { placeHolder: "Create the issue in which instance?" },
  );
  return picked?.instance;
}
