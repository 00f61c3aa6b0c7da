// What each button of the Integrations panel asks of the agent. Long requests
// (configure, authorize) go through VS Code's progress UI, whose Cancel sends
// `$/cancelRequest`. Nothing here logs params: they may hold secrets.
import * as vscode from "vscode";
import type { AgentConnection } from "../agent/connection";
import { instanceLabel } from "../issues/grouping";
import { Requests } from "../protocol";
import type { ProvidersModel } from "../providersModel";
import type { ActionValue, WebviewMessage } from "./messages";

/** The webview's messages that become agent requests (the rest the panel handles itself). */
export type ActionMessage = Extract<
  WebviewMessage,
  { type: "configure" | "generateKey" | "authorize" | "completeAuthorization" | "disconnect" | "share" | "unlock" }
>;

const ACTION_TYPES = new Set<string>([
  "configure",
  "generateKey",
  "authorize",
  "completeAuthorization",
  "disconnect",
  "share",
  "unlock",
]);

export function isActionMessage(message: WebviewMessage): message is ActionMessage {
  return ACTION_TYPES.has(message.type);
}

export async function runAction(
  message: ActionMessage,
  agent: AgentConnection,
  model: ProvidersModel,
): Promise<ActionValue> {
  const label = (instanceId: string): string => {
    const instance = model.instance(instanceId);
    return instance ? instanceLabel(instance) : instanceId;
  };
  switch (message.type) {
    case "configure": {
      if (message.http?.insecureSkipVerify) {
        const server = message.fields.baseUrl ?? "this server";
        const choice = await vscode.window.showWarningMessage(
          `Turn TLS verification off for ${server}?`,
          {
            modal: true,
            detail:
              "Its certificate will not be checked: anyone between you and the server can read and change everything sent, your credentials included, and nothing will tell you. Prefer a CA bundle with your company's CA (Advanced, CA bundle).",
          },
          "Turn Off Verification",
        );
        if (choice !== "Turn Off Verification") return { action: "dismissed" };
      }
      const result = await agent.requestWithProgress(
        Requests.providersConfigure,
        {
          providerId: message.providerId,
          authMethod: message.authMethod,
          fields: message.fields,
          ...(message.http ? { http: message.http } : {}),
          ...(message.httpSecrets ? { httpSecrets: message.httpSecrets } : {}),
        },
        { title: `Connecting to ${model.provider(message.providerId)?.name ?? message.providerId}` },
      );
      return { action: "configure", instance: result.instance };
    }
    case "generateKey": {
      const key = await agent.request(Requests.keysGenerate, {});
      return { action: "generateKey", key };
    }
    case "authorize": {
      const result = await agent.requestWithProgress(
        Requests.providersAuthorize,
        { instanceId: message.instanceId, callback: "loopback" },
        { title: `Authorize ${label(message.instanceId)} in your browser, then come back here` },
      );
      // With an authorizeUrl the agent could not open the page (oob): the panel
      // offers it, and the box for the code.
      return result.authorizeUrl
        ? { action: "authorize", instance: result.instance, authorizeUrl: result.authorizeUrl }
        : { action: "authorize", instance: result.instance };
    }
    case "completeAuthorization": {
      const result = await agent.request(Requests.providersCompleteAuthorization, {
        instanceId: message.instanceId,
        verifier: message.verifier,
      });
      return { action: "authorize", instance: result.instance };
    }
    case "disconnect": {
      if (message.forget) {
        const choice = await vscode.window.showWarningMessage(
          `Forget ${label(message.instanceId)}? Its configuration and credentials are removed.`,
          { modal: true },
          "Forget",
        );
        if (choice !== "Forget") return { action: "dismissed" };
      }
      await agent.request(Requests.providersDisconnect, { instanceId: message.instanceId, forget: message.forget });
      return { action: "done" };
    }
    case "share": {
      const folder = await pickWorkspaceFolder();
      if (!folder) return { action: "dismissed" };
      const result = await agent.request(Requests.teamShare, {
        instanceId: message.instanceId,
        workspaceFolder: folder.uri.fsPath,
      });
      return result.passphrase
        ? { action: "share", path: result.path, passphrase: result.passphrase }
        : { action: "share", path: result.path };
    }
    case "unlock": {
      const passphrase = await vscode.window.showInputBox({
        title: `Unlock ${label(message.instanceId)}`,
        prompt: "The passphrase the teammate who shared this configuration gave you",
        password: true,
        ignoreFocusOut: true,
      });
      if (!passphrase) return { action: "dismissed" };
      await agent.request(Requests.teamUnlock, { instanceId: message.instanceId, passphrase });
      return { action: "done" };
    }
  }
}

async function pickWorkspaceFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: "Share the configuration in which folder?" });
}
