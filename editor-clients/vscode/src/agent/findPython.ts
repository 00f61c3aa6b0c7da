// Chooses how to start the agent: the user's command, else a Python ≥ 3.11 that
// can import it (the user's setting, the Python extension's active interpreter,
// then python3/python on PATH), with the bundled package on PYTHONPATH when the
// extension ships one.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import * as vscode from "vscode";
import {
  bundledLibsDir,
  planFromCommand,
  planFromPython,
  type LaunchPlan,
} from "./launchPlan";
import { judge, noPythonMessage, parseProbe, PROBE_SCRIPT, type ProbeResult } from "./pythonProbe";
import type { LaunchSettings } from "./settings";

export class NoPythonError extends Error {}

/** The slice of the Python extension's API we use (ms-python.python ≥ 2023). */
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment(
      env: { path: string },
    ): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
}

const PYTHON_EXTENSION_ID = "ms-python.python";

async function pythonExtensionApi(): Promise<PythonExtensionApi | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
  if (!extension) return undefined;
  try {
    return extension.isActive ? extension.exports : await extension.activate();
  } catch {
    return undefined; // a broken Python extension must not stop ours
  }
}

async function activeInterpreter(): Promise<string | undefined> {
  const environments = (await pythonExtensionApi())?.environments;
  if (!environments) return undefined;
  try {
    const active = environments.getActiveEnvironmentPath(vscode.workspace.workspaceFolders?.[0]?.uri);
    if (!active) return undefined;
    const resolved = await environments.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath ?? active.path;
  } catch {
    return undefined;
  }
}

/** Lets the caller restart the agent when the user picks another interpreter. */
export async function onDidChangeInterpreter(listener: () => void): Promise<vscode.Disposable | undefined> {
  const event = (await pythonExtensionApi())?.environments?.onDidChangeActiveEnvironmentPath;
  return event ? event(() => listener()) : undefined;
}

export function hasPythonExtension(): boolean {
  return vscode.extensions.getExtension(PYTHON_EXTENSION_ID) !== undefined;
}

function probe(python: string, env: NodeJS.ProcessEnv): Promise<ProbeResult | undefined> {
  return new Promise((resolve) => {
    execFile(python, ["-c", PROBE_SCRIPT], { env, timeout: 15_000 }, (error, stdout) => {
      resolve(error ? undefined : parseProbe(stdout));
    });
  });
}

export async function findAgent(settings: LaunchSettings, extensionPath: string): Promise<LaunchPlan> {
  if (settings.command.length > 0) return planFromCommand(settings.command, settings.logLevel);

  const libs = bundledLibsDir(extensionPath);
  const bundled = existsSync(libs) ? libs : undefined;
  const candidates: string[] = [];
  if (settings.pythonPath) {
    // An explicit choice is honoured or reported, never silently replaced.
    candidates.push(settings.pythonPath);
  } else {
    const fromExtension = await activeInterpreter();
    if (fromExtension) candidates.push(fromExtension);
    candidates.push("python3", "python");
  }

  const problems: string[] = [];
  for (const candidate of [...new Set(candidates)]) {
    const plan = planFromPython(candidate, settings.logLevel, bundled, process.env.PYTHONPATH);
    const verdict = judge(candidate, await probe(candidate, { ...process.env, ...plan.env }));
    if (verdict.ok) return plan;
    problems.push(verdict.detail);
  }
  throw new NoPythonError(noPythonMessage(problems));
}
