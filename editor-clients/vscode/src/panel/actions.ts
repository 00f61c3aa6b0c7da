// What each button of the Integrations panel asks of the agent. Long requests
// (configure, authorize) go through VS Code's progress UI, whose Cancel sends
// `$/cancelRequest`. Nothing here logs params: they may hold secrets.
import * as vscode from "vscode";
import type { AgentConnection } from "../agent/connection";
import { instanceLabel } from "../issues/grouping";
import { Requests } from "../protocol";
import type { ProvidersModel } from "../providersModel";
import type { ActionValue, WebviewMessage } from "./messages";

type ActionMessage = Exclude<WebviewMessage, { type: "ready" | "copy" | "restartAgent" | "showLog" }>;

/** Thrown when the user dismissed a prompt: answered as a cancellation. */
const cancelled = (): Error =>
  Object.assign(new Error("Cancelled."), { code: -32800, data: { kind: "cancelled" } });

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
      const result = await agent.requestWithProgress(
        Requests.providersConfigure,
        { providerId: message.providerId, authMethod: message.authMethod, fields: message.fields },
        { title: `Connecting to ${model.provider(message.providerId)?.name ?? message.providerId}` },
      );
      return { action: "configure", instance: result.instance };
    }
    case "generateKey": {
      const key = await agent.request(Requests.keysGenerate, {});
      return { action: "generateKey", key };
    }
    case "authorize":
      await agent.requestWithProgress(
        Requests.providersAuthorize,
        { instanceId: message.instanceId, callback: "loopback" },
        { title: `Authorize ${label(message.instanceId)} in your browser, then come back here` },
      );
      return { action: "done" };
    case "disconnect": {
      if (message.forget) {
        const choice = await vscode.window.showWarningMessage(
          `Forget ${label(message.instanceId)}? Its configuration and credentials are removed.`,
          { modal: true },
          "Forget",
        );
        if (choice !== "Forget") throw cancelled();
      }
      await agent.request(Requests.providersDisconnect, { instanceId: message.instanceId, forget: message.forget });
      return { action: "done" };
    }
    case "share": {
      const folder = await pickWorkspaceFolder();
      if (!folder) throw cancelled();
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
      if (!passphrase) throw cancelled();
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
