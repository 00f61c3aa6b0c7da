// Reads the extension's settings and shapes them into what the agent expects
// (`initializationOptions` and `workspace/didChangeConfiguration`) and what the
// launcher needs. Kept free of the `vscode` module so it is unit-tested.
import type { HttpSettings, InitializationOptions, LogLevel } from "../protocol";

/** The part of `vscode.WorkspaceConfiguration` we use (so tests can fake it). */
export interface SettingsReader {
  get<T>(section: string): T | undefined;
}

export interface LaunchSettings {
  /** Full command line that starts the agent; empty to use Python. */
  command: string[];
  /** Interpreter chosen by the user; empty to look for one. */
  pythonPath: string;
  logLevel: string;
}

const LOG_LEVELS: readonly LogLevel[] = ["error", "warning", "info", "debug"];

/** `issuebridge.agent.logLevel`, when it is one the agent knows. */
export function logLevelOf(settings: SettingsReader): LogLevel | undefined {
  const value = settings.get<unknown>("agent.logLevel");
  return LOG_LEVELS.find((level) => level === value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * The agent checks settings strictly and rejects unknown keys or empty paths, so
 * only settings the user actually set are sent, with their wire names.
 */
export function agentOptions(settings: SettingsReader): InitializationOptions {
  const options: InitializationOptions = {};
  const storageDir = nonEmptyString(settings.get("storageDir"));
  if (storageDir) options.storageDir = storageDir;
  const logLevel = logLevelOf(settings);
  if (logLevel) options.logLevel = logLevel;

  const http: HttpSettings = {};
  const caBundle = nonEmptyString(settings.get("http.caBundle"));
  if (caBundle) http.caBundle = caBundle;
  const proxy = nonEmptyString(settings.get("http.proxy"));
  if (proxy) http.proxy = proxy;
  const clientCertificate = nonEmptyString(settings.get("http.clientCertificate"));
  if (clientCertificate) http.clientCertificate = clientCertificate;
  const clientKey = nonEmptyString(settings.get("http.clientKey"));
  if (clientKey) http.clientKey = clientKey;
  // Default true: only turning the OS trust store off is sent.
  if (settings.get<unknown>("http.useSystemTrustStore") === false) http.useSystemTrustStore = false;
  const timeout = settings.get<unknown>("http.timeoutSeconds");
  if (typeof timeout === "number" && Number.isFinite(timeout) && timeout > 0) {
    http.timeoutSeconds = timeout;
  }
  if (Object.keys(http).length > 0) options.http = http;
  const branchTemplate = nonEmptyString(settings.get("issues.branchTemplate"));
  if (branchTemplate) options.issues = { branchTemplate };
  // Default true, as the agent's: only turning issue keys off is sent.
  if (settings.get<unknown>("issueKeys.enabled") === false) options.issueKeys = { enabled: false };
  return options;
}

/** Settings (under `issuebridge.`) that `agentOptions` reads after the start: sent with didChangeConfiguration. */
const AGENT_SETTINGS = ["storageDir", "http", "issues.branchTemplate", "issueKeys.enabled"];
/** Settings fixed when the language client starts: changing one restarts the agent. */
const RESTART_SETTINGS = ["agent", "issueKeys.documentSelector"];

/**
 * What a configuration change means for the agent: a restart (how it is started,
 * or which documents the client syncs, fixed at the client's start), the new
 * settings sent to it, or nothing. `affects` is the event's `affectsConfiguration`.
 */
export function configurationEffect(affects: (section: string) => boolean): "restart" | "notify" | "none" {
  if (RESTART_SETTINGS.some((key) => affects(`issuebridge.${key}`))) return "restart";
  if (AGENT_SETTINGS.some((key) => affects(`issuebridge.${key}`))) return "notify";
  return "none";
}

export function launchSettings(settings: SettingsReader): LaunchSettings {
  const command = settings.get<unknown>("agent.command");
  return {
    command: Array.isArray(command)
      ? command.filter((part): part is string => typeof part === "string" && part !== "")
      : [],
    pythonPath: nonEmptyString(settings.get("agent.pythonPath")) ?? "",
    logLevel: nonEmptyString(settings.get("agent.logLevel")) ?? "info",
  };
}

export function issuesLimit(settings: SettingsReader): number {
  const limit = settings.get<unknown>("issues.limit");
  return typeof limit === "number" && Number.isInteger(limit) && limit >= 1 && limit <= 10000
    ? limit
    : 500;
}
