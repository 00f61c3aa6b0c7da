// How the agent process is started, as data: the command, its arguments and
// its environment. Pure so the choices are unit-tested.
import * as path from "node:path";

export interface LaunchPlan {
  command: string;
  args: string[];
  /** Variables added to the extension host's environment. */
  env: Record<string, string>;
  /** Shown in the log and in error messages, e.g. "python3 -m agent". */
  description: string;
}

export const MIN_PYTHON: readonly [number, number] = [3, 11];

/**
 * Where a packaged extension keeps the `issuebridge` Python package and its
 * dependencies (see scripts/bundle-python.sh), in the layout of Microsoft's
 * Python tool extensions: `bundled/libs` is put first on `PYTHONPATH`.
 */
export function bundledLibsDir(extensionPath: string): string {
  return path.join(extensionPath, "bundled", "libs");
}

export function planFromCommand(command: string[], logLevel: string): LaunchPlan {
  const [program, ...args] = command;
  if (!program) throw new Error("issuebridge.agent.command is empty");
  return { command: program, args, env: { ISSUEBRIDGE_LOG: logLevel }, description: command.join(" ") };
}

export function planFromPython(
  python: string,
  logLevel: string,
  bundledLibs: string | undefined,
  inheritedPythonPath: string | undefined,
): LaunchPlan {
  const env: Record<string, string> = { ISSUEBRIDGE_LOG: logLevel };
  if (bundledLibs) {
    env.PYTHONPATH = inheritedPythonPath
      ? [bundledLibs, inheritedPythonPath].join(path.delimiter)
      : bundledLibs;
    // The bundled packages must win over whatever the user installed.
    env.PYTHONNOUSERSITE = "1";
  }
  return {
    command: python,
    args: ["-m", "agent", "--stdio"],
    env,
    description: `${python} -m agent --stdio${bundledLibs ? " (bundled agent)" : ""}`,
  };
}
