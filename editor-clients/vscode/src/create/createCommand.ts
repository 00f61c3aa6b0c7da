// "Create Issue": pick the instance (when several are connected), the project
// (`projects/list`) and the issue type (`issues/createForm`'s `issueTypes`),
// then open the form for that type.
import * as vscode from "vscode";
import type { AgentConnection } from "../agent/connection";
import { describeFailure, toFailure } from "../errors";
import { instanceLabel } from "../issues/grouping";
import { Requests, type CreateFormResult, type Instance } from "../protocol";
import type { ProvidersModel } from "../providersModel";
import { CreateIssuePanel, type CreateContext } from "./createPanel";

export async function createIssue(
  agent: AgentConnection,
  model: ProvidersModel,
  context: CreateContext,
  preferred?: Instance,
): Promise<void> {
  try {
    const instance = preferred ?? (await pickInstance(model));
    if (!instance || !model.capabilities(instance.instanceId).canCreate) return;
    const label = instanceLabel(instance);
    const projects = agent.request(Requests.projectsList, { instanceId: instance.instanceId }).then(({ projects }) =>
      projects.map((project) => ({ label: project.key, description: project.name, project })),
    );
    const picked = await vscode.window.showQuickPick(projects, {
      title: `Create an issue in ${label}`,
      placeHolder: "Which project?",
      matchOnDescription: true,
      ignoreFocusOut: true,
    });
    if (!picked) return;
    const projectKey = picked.project.key;
    let form: CreateFormResult = await agent.request(Requests.issuesCreateForm, { instanceId: instance.instanceId, projectKey });
    if (form.issueTypes.length > 1) {
      const type = await vscode.window.showQuickPick(
        form.issueTypes.map((issueType) => ({ label: issueType.name, issueType })),
        { title: `Create an issue in ${projectKey}`, placeHolder: "Which issue type?", ignoreFocusOut: true },
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
    CreateIssuePanel.show(context, {
      instanceId: instance.instanceId,
      instanceLabel: label,
      projectKey,
      projectName: picked.project.name,
      issueType: form.issueType,
      issueTypeName,
      fields: form.fields,
    });
  } catch (error) {
    // The agent's words (a form the extension cannot render names its field).
    void vscode.window.showErrorMessage(describeFailure(toFailure(error)));
  }
}

async function pickInstance(model: ProvidersModel): Promise<Instance | undefined> {
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
    connected.map((instance) => ({ label: instanceLabel(instance), description: instance.user?.displayName, instance })),
    { placeHolder: "Create the issue in which instance?" },
  );
  return picked?.instance;
}
