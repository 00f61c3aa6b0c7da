// Remote set-ups (code-server, Remote-SSH, WSL, Codespaces): the browser that
// authorizes may not reach the agent's 127.0.0.1 callback listener. We declare
// `capabilities.experimental.issuebridge.externalUri` (shared decision 2) and
// answer the agent's `issuebridge/window/externalUri` with what
// `vscode.env.asExternalUri` maps the local URL to (a port forward or a proxy path).
import type { ClientCapabilities, FeatureState, StaticFeature } from "vscode-languageclient/node";
import { ClientRequests } from "../protocol";

export const EXTERNAL_URI_REQUEST = ClientRequests.windowExternalUri;

export const externalUriFeature: StaticFeature = {
  fillClientCapabilities(capabilities: ClientCapabilities): void {
    const experimental = (capabilities.experimental ?? {}) as Record<string, unknown>;
    const ours = (experimental.issuebridge ?? {}) as Record<string, unknown>;
    capabilities.experimental = { ...experimental, issuebridge: { ...ours, externalUri: true } };
  },
  initialize(): void {},
  getState(): FeatureState {
    return { kind: "static" };
  },
  clear(): void {},
};

/** Only loopback http(s) URLs are the agent's to map; anything else comes back as it is. */
export function isLoopbackUrl(uri: string): boolean {
  try {
    const url = new URL(uri);
    return (url.protocol === "http:" || url.protocol === "https:") && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  } catch {
    return false;
  }
}
