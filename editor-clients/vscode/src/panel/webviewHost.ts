// What every issuebridge webview panel shares: scripts only from the
// extension's own webview folder, no forms or command links, and the strict
// shell of html.ts with a fresh nonce.
import * as vscode from "vscode";
import { makeNonce, panelHtml } from "./html";

export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, "dist", "webview");
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    enableForms: false,
    // The webview may load files from its own folder and nowhere else.
    localResourceRoots: [webviewRoot(extensionUri)],
  };
}

/** Loads `script` (a bundle in dist/webview) and the shared styles into the panel. */
export function loadShell(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, script: string, title: string): void {
  const webview = panel.webview;
  const root = webviewRoot(extensionUri);
  panel.iconPath = vscode.Uri.joinPath(extensionUri, "media", "issuebridge.svg");
  webview.html = panelHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    title,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, script)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, "styles.css")).toString(),
  });
}
