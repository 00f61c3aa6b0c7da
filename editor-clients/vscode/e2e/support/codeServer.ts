// code-server (VS Code as a server, from the npm registry) on 127.0.0.1 with its
// own user data, extensions and HOME, as in ../shared/RECIPES.md.
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { freePort, start, waitFor, type Managed } from "./processes";

const run = promisify(execFile);

export interface CodeServerDirs {
  root: string;
  home: string;
  userData: string;
  extensions: string;
  workspace: string;
  logs: string;
}

export function makeDirs(root: string): CodeServerDirs {
  const dirs = {
    root,
    home: path.join(root, "home"),
    userData: path.join(root, "user-data"),
    extensions: path.join(root, "extensions"),
    workspace: path.join(root, "workspace"),
    logs: path.join(root, "logs"),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  return dirs;
}

export function isolatedEnv(dirs: CodeServerDirs): NodeJS.ProcessEnv {
  // code-server and Chromium write under HOME and XDG dirs: keep them in the scratch dir.
  return {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: path.join(dirs.home, ".config"),
    XDG_DATA_HOME: path.join(dirs.home, ".local", "share"),
    XDG_CACHE_HOME: path.join(dirs.home, ".cache"),
  };
}

/** User settings; written for both the user and the remote machine scope. */
export function writeSettings(dirs: CodeServerDirs, settings: Record<string, unknown>): void {
  const all = {
    "chat.disableAIFeatures": true,
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.enableExperiments": false,
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "extensions.ignoreRecommendations": true,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "security.workspace.trust.enabled": false,
    "window.commandCenter": false,
    "workbench.secondarySideBar.defaultVisibility": "hidden",
    "workbench.sideBar.location": "left",
    // View actions (Collapse All, Refresh) shown without hovering.
    "workbench.view.alwaysShowHeaderActions": true,
    ...settings,
  };
  for (const scope of ["User", "Machine"]) {
    mkdirSync(path.join(dirs.userData, scope), { recursive: true });
    writeFileSync(path.join(dirs.userData, scope, "settings.json"), JSON.stringify(all, null, 2));
  }
}

export async function installExtension(codeServer: string, dirs: CodeServerDirs, vsix: string): Promise<void> {
  const { stdout, stderr } = await run(
    codeServer,
    ["--user-data-dir", dirs.userData, "--extensions-dir", dirs.extensions, "--install-extension", vsix],
    { env: isolatedEnv(dirs), timeout: 120_000 },
  );
  if (!/successfully installed/i.test(stdout + stderr)) {
    throw new Error(`installing ${vsix} failed:\n${stdout}\n${stderr}`);
  }
}

export class CodeServer {
  private constructor(
    readonly url: string,
    private readonly process: Managed,
  ) {}

  static async start(codeServer: string, dirs: CodeServerDirs): Promise<CodeServer> {
    const port = await freePort();
    const config = path.join(dirs.root, "code-server.yaml");
    writeFileSync(config, "auth: none\n");
    const managed = start(
      "code-server",
      codeServer,
      [
        "--config", config,
        "--user-data-dir", dirs.userData,
        "--extensions-dir", dirs.extensions,
        "--bind-addr", `127.0.0.1:${port}`,
        "--auth", "none",
        "--disable-telemetry",
        "--disable-update-check",
        "--disable-workspace-trust",
        "--disable-getting-started-override",
        dirs.workspace,
      ],
      {
        logFile: path.join(dirs.logs, "code-server.log"),
        // The agent (a child of the extension host) keeps secrets in its 0600 file,
        // as on a machine without an OS keyring: the panel must say so once.
        env: { ...isolatedEnv(dirs), ISSUEBRIDGE_SECRET_STORE: "file" },
      },
    );
    const url = `http://127.0.0.1:${port}`;
    await waitFor("code-server /healthz", async () => (await fetch(`${url}/healthz`)).ok, 60_000);
    return new CodeServer(url, managed);
  }

  /** code-server's process group: the extension host and the agent live in it. */
  get processGroup(): number {
    const pid = this.process.child.pid;
    if (pid === undefined) throw new Error("code-server has no pid");
    return pid;
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}
