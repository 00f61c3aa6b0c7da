// Opens an auth method's admin guide (`AuthMethod.guideUrl`, a file beside the
// agent's installation) as a rendered Markdown preview in the editor. The URL
// comes from the agent's own description, looked up here by provider and
// method: the webview only says which one, so it can never make us open a
// file or page of its choosing.
import * as vscode from "vscode";
import type { ProvidersModel } from "../providersModel";
import { guideOf } from "../webview/formModel";

export async function openGuide(model: ProvidersModel, providerId: string, methodId: string): Promise<void> {
  const method = model.provider(providerId)?.authMethods.find((m) => m.id === methodId);
  const url = guideOf(method);
  if (!url) return;
  const uri = vscode.Uri.parse(url, true);
  try {
    await vscode.commands.executeCommand("markdown.showPreview", uri);
  } catch {
    // No Markdown preview (the built-in extension disabled): the file itself.
    await vscode.commands.executeCommand("vscode.open", uri);
  }
}
