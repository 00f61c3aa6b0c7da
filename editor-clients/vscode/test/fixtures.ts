// Shapes as the agent sends them (taken from a real `providers/list` answer).
import type { AuthMethod, Instance, Issue } from "../src/protocol";

export const tokenMethod: AuthMethod = {
  id: "token",
  label: "Personal access token",
  description: "Connect with a personal access token (Jira 8.14 or later).",
  fields: [
    { name: "baseUrl", label: "Jira base URL", kind: "url", required: true, help: "The address you open Jira at." },
    { name: "token", label: "Personal access token", kind: "secret", required: true },
  ],
};

export const oauthMethod: AuthMethod = {
  id: "oauth1",
  authorization: "browser",
  label: "OAuth 1.0a (Application Link)",
  description: "Connect through an incoming Application Link.",
  fields: [
    { name: "baseUrl", label: "Jira base URL", kind: "url", required: true },
    { name: "consumerKey", label: "Consumer key", kind: "text", required: true },
    { name: "keyId", label: "Generated key", kind: "keyRef", required: false },
    { name: "privateKey", label: "Private key (PEM)", kind: "multilineSecret", required: false },
  ],
};

/** OAuth 2.0 as the agent describes it: defaults for the redirect URI and scope, a guide. */
export const oauth2Method: AuthMethod = {
  id: "oauth2",
  authorization: "browser",
  label: "OAuth 2.0 (Jira 8.22+)",
  description: "For teams on Jira Data Center 8.22 or later: an incoming link to an external application.",
  guideUrl: "file:///opt/issuebridge/docs/jira-server-oauth2.md",
  fields: [
    { name: "baseUrl", label: "Jira base URL", kind: "url", required: true },
    { name: "clientId", label: "Client ID", kind: "text", required: true },
    { name: "clientSecret", label: "Client secret", kind: "secret", required: true },
    {
      name: "redirectUri",
      label: "Redirect URL",
      kind: "url",
      required: true,
      default: "http://127.0.0.1:43917/callback",
      help: "Register exactly this in the link.",
    },
    { name: "scope", label: "Scope", kind: "text", required: false, default: "WRITE" },
  ],
};

export function instance(overrides: Partial<Instance> = {}): Instance {
  return {
    instanceId: "jira-1",
    providerId: "jira-server",
    baseUrl: "https://jira.example.com/jira",
    authMethod: "token",
    scope: "user",
    state: "connected",
    user: { name: "alice", displayName: "Alice Anderson" },
    serverVersion: "9.12.0",
    ...overrides,
  };
}

let counter = 0;
export function issue(category: Issue["status"]["category"], overrides: Partial<Issue> = {}): Issue {
  counter += 1;
  return {
    id: String(10000 + counter),
    key: `ISB-${counter}`,
    title: `Issue ${counter}`,
    url: `https://jira.example.com/jira/browse/ISB-${counter}`,
    status: { name: category === "done" ? "Done" : category === "inProgress" ? "In Progress" : "To Do", category },
    project: { key: "ISB", name: "IssueBridge" },
    updatedAt: "2024-03-05T14:22:01.000+0000",
    ...overrides,
  };
}
