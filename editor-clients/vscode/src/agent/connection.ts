// The one connection to the agent: starts it (through vscode-languageclient over
// stdio), restarts it when it crashes with the reason shown, forwards settings,
// and offers typed requests with VS Code's own progress and cancellation UI.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  WorkDoneProgress,
  type CloseHandlerResult,
  type DocumentSelector,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type WorkDoneProgressBegin,
  type WorkDoneProgressReport,
} from "vscode-languageclient/node";
import {
  Notifications,
  type PlainParamsOf,
  type Provider,
  type ProvidersDidChangeParams,
  type RequestMethod,
  type ResultOf,
} from "../protocol";
import { AgentLogRouter, visibleLine } from "./agentLog";
import { describeExit, RestartBudget, TailBuffer, type ExitInfo } from "./crashPolicy";
import { EXTERNAL_URI_REQUEST, externalUriFeature, isLoopbackUrl } from "./externalUri";
import { findAgent, NoPythonError } from "./findPython";
import type { LaunchPlan } from "./launchPlan";
import type { AgentStatus } from "./status";

export type { AgentStatus } from "./status";
import { documentSelectorOf } from "../keys/documentSelector";
import { agentOptions, configurationEffect, launchSettings } from "./settings";

/** Runs a command the agent advertises (executeCommandProvider) in the extension instead. */
export type CommandInterceptor = (args: unknown[]) => Promise<unknown>;

const CONFIG_SECTION = "issuebridge";

export class AgentConnection implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private child: ChildProcess | undefined;
  private exited: Promise<ExitInfo> | undefined;
  private stderr = new TailBuffer();
  private stderrLog = new AgentLogRouter();
  private readonly budget = new RestartBudget();
  private intentionalStop = false;
  private currentStatus: AgentStatus = { state: "stopped" };
  private readonly statusEmitter = new vscode.EventEmitter<AgentStatus>();
  private readonly providersEmitter = new vscode.EventEmitter<Provider[]>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly interceptors = new Map<string, CommandInterceptor>();

  /** Fires on every state change of the agent process. */
  readonly onDidChangeStatus = this.statusEmitter.event;
  /** Fires with `issuebridge/providers/didChange` from the agent. */
  readonly onDidChangeProviders = this.providersEmitter.event;

  constructor(
    private readonly extensionPath: string,
    readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.statusEmitter,
      this.providersEmitter,
      vscode.workspace.onDidChangeConfiguration((event) => this.onConfigurationChanged(event)),
    );
  }

  get status(): AgentStatus {
    return this.currentStatus;
  }

  private setStatus(status: AgentStatus): void {
    this.currentStatus = status;
    this.statusEmitter.fire(status);
  }

  async start(): Promise<void> {
    if (this.client) return;
    this.intentionalStop = false;
    this.setStatus({ state: "starting" });
    let plan: LaunchPlan;
    try {
      // Found before the language client exists, so "no Python" is our own
      // message with its fix rather than the client's generic start failure.
      plan = await findAgent(launchSettings(this.configuration()), this.extensionPath);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.log.error(reason);
      this.setStatus({ state: "failed", reason, noPython: error instanceof NoPythonError });
      return;
    }
    const client = new LanguageClient(
      "issuebridge",
      "issuebridge agent",
      () => this.spawnAgent(plan),
      this.clientOptions(),
    );
    this.client = client;
    client.onNotification(Notifications.providersDidChange, (params: ProvidersDidChangeParams) =>
      this.providersEmitter.fire(params.providers),
    );
    client.registerFeature(externalUriFeature);
    client.onRequest(EXTERNAL_URI_REQUEST, async (params: { uri?: unknown }) => {
      const uri = typeof params?.uri === "string" ? params.uri : "";
      if (!isLoopbackUrl(uri)) return { uri };
      const external = await vscode.env.asExternalUri(vscode.Uri.parse(uri));
      this.log.info(`Authorization callback ${uri} is reached at ${external.toString(true)}`);
      return { uri: external.toString(true) };
    });
    try {
      await client.start();
      this.setStatus({ state: "running" });
    } catch (error) {
      this.client = undefined;
      const reason = await this.crashReason(error);
      this.log.error(`Agent did not start: ${reason}`);
      this.setStatus({ state: "failed", reason, noPython: false });
      void client.dispose().catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.intentionalStop = true;
    this.client = undefined;
    if (client && client.state !== State.Stopped) {
      // shutdown + exit; the agent ends within 2 s, vscode-languageclient kills it after that.
      await client.stop(2000).catch(() => undefined);
    }
    this.killChild();
    this.setStatus({ state: "stopped" });
  }

  async restart(): Promise<void> {
    await this.stop();
    this.budget.reset();
    await this.start();
  }

  /**
   * Runs `command` (one the agent advertises, which vscode-languageclient registers)
   * with `interceptor` rather than sending `workspace/executeCommand`.
   */
  interceptCommand(command: string, interceptor: CommandInterceptor): vscode.Disposable {
    this.interceptors.set(command, interceptor);
    return new vscode.Disposable(() => {
      if (this.interceptors.get(command) === interceptor) this.interceptors.delete(command);
    });
  }

  /** A typed request; rejects with the agent's JSON-RPC error (see errors.ts). */
  async request<M extends RequestMethod>(
    method: M,
    params: PlainParamsOf<M>,
    token?: vscode.CancellationToken,
  ): Promise<ResultOf<M>> {
    const client = this.requireClient();
    // vscode-jsonrpc counts an `undefined` token as a second param and would
    // send `[params, null]`: pass the token only when there is one.
    return token
      ? client.sendRequest<ResultOf<M>>(method, params, token)
      : client.sendRequest<ResultOf<M>>(method, params);
  }

  /**
   * A request with a `workDoneToken`: the agent's `$/progress` reports show in a
   * VS Code progress notification (or view), whose Cancel button sends
   * `$/cancelRequest`.
   */
  async requestWithProgress<M extends RequestMethod>(
    method: M,
    params: PlainParamsOf<M>,
    options: { title: string; location?: vscode.ProgressOptions["location"]; cancellable?: boolean },
  ): Promise<ResultOf<M>> {
    const client = this.requireClient();
    return vscode.window.withProgress(
      {
        location: options.location ?? vscode.ProgressLocation.Notification,
        title: options.title,
        cancellable: options.cancellable ?? true,
      },
      async (progress, token) => {
        const workDoneToken = `issuebridge-${randomUUID()}`;
        let reported = 0;
        const subscription = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
          if (value.kind === "end") return;
          const step = value as WorkDoneProgressBegin | WorkDoneProgressReport;
          const increment =
            typeof step.percentage === "number" ? Math.max(0, step.percentage - reported) : undefined;
          if (typeof step.percentage === "number") reported = Math.max(reported, step.percentage);
          progress.report({ message: step.message, increment });
        });
        try {
          return await client.sendRequest<ResultOf<M>>(method, { ...params, workDoneToken }, token);
        } finally {
          subscription.dispose();
        }
      },
    );
  }

  private requireClient(): LanguageClient {
    if (!this.client || this.currentStatus.state !== "running") {
      throw Object.assign(new Error("The issuebridge agent is not running. Run \"issuebridge: Restart Agent\"."), {
        data: { kind: "notConnected" },
      });
    }
    return this.client;
  }

  private clientOptions(): LanguageClientOptions {
    // Issue keys in documents: what is synced is fixed for the client's lifetime,
    // so a change of the setting restarts the agent (onConfigurationChanged).
    const { selector, ignored } = documentSelectorOf(this.configuration());
    if (ignored.length) {
      this.log.warn(`issuebridge.issueKeys.documentSelector: ignored ${JSON.stringify(ignored)} (no language, scheme or pattern)`);
    }
    return {
      // Each filter names a language, a scheme or a pattern (filterOf sees to it).
      documentSelector: selector as DocumentSelector,
      middleware: {
        executeCommand: (command, args, next) => {
          const interceptor = this.interceptors.get(command);
          return interceptor ? interceptor(args) : next(command, args);
        },
      },
      outputChannel: this.log,
      // Re-read on every (re)start so the newest settings win.
      initializationOptions: () => agentOptions(this.configuration()),
      stdioOptions: {
        stdout: () => undefined, // never used: stdout is the protocol stream
        stderr: (input) => {
          input.setEncoding("utf8");
          // Kept to explain a crash, and written to the channel at each line's
          // level (see agentLog.ts: what window/logMessage brings stays at trace).
          input.on("data", (chunk: string) => {
            this.stderr.push(chunk);
            for (const line of this.stderrLog.push(chunk)) {
              const shown = visibleLine(line, this.log.logLevel);
              this.log[shown.level](shown.text);
            }
          });
        },
      },
      errorHandler: {
        error: (_error, _message, count): ErrorHandlerResult => ({
          action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown,
          handled: true,
        }),
        closed: () => this.onClosed(),
      },
    };
  }

  private configuration(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(CONFIG_SECTION);
  }

  private async spawnAgent(plan: LaunchPlan): Promise<ChildProcess> {
    this.log.info(`Starting the agent: ${plan.description}`);
    this.stderr = new TailBuffer();
    this.stderrLog = new AgentLogRouter();
    const child = spawn(plan.command, plan.args, {
      env: { ...process.env, ...plan.env },
      cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      stdio: "pipe",
      windowsHide: true,
    });
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    );
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", () => resolve());
      child.once("error", (error) => reject(new Error(`cannot run ${plan.command}: ${error.message}`)));
    });
    return child;
  }

  private async crashReason(error?: unknown): Promise<string> {
    // The pipe closes a moment before the process reports its exit status.
    const exit = this.exited
      ? await Promise.race([
          this.exited,
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1500)),
        ])
      : undefined;
    if (!exit && error instanceof Error) return error.message;
    return describeExit(exit, this.stderr.text());
  }

  private async onClosed(): Promise<CloseHandlerResult> {
    if (this.intentionalStop) return { action: CloseAction.DoNotRestart, handled: true, message: "The agent stopped." };
    const reason = await this.crashReason();
    for (const line of this.stderr.text().slice(-15)) this.log.error(`agent stderr: ${line}`);
    const client = this.client;
    this.client = undefined;
    this.child = undefined;
    if (this.budget.allowRestart(Date.now())) {
      this.log.warn(`The agent stopped (${reason}); restarting it.`);
      void vscode.window.showWarningMessage(`The issuebridge agent stopped (${reason}). It is being restarted.`);
      this.setStatus({ state: "starting" });
      // Restart ourselves (not CloseAction.Restart) so a changed setting or
      // interpreter is picked up and a failure to start is reported the same way.
      setTimeout(() => {
        void client?.dispose().catch(() => undefined);
        void this.start();
      }, 500);
    } else {
      const message = `The issuebridge agent keeps stopping (${reason}); it was not restarted.`;
      this.setStatus({ state: "failed", reason, noPython: false });
      void vscode.window.showErrorMessage(message, "Restart Agent", "Show Log").then((choice) => {
        if (choice === "Restart Agent") void vscode.commands.executeCommand("issuebridge.restartAgent");
        if (choice === "Show Log") this.log.show();
      });
    }
    // The client logs `message`; the restart (or not) is ours, decided above.
    return { action: CloseAction.DoNotRestart, handled: true, message: `The agent's connection closed (${reason}).` };
  }

  private onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
    const effect = configurationEffect((section) => event.affectsConfiguration(section));
    if (effect === "restart") {
      void this.restart();
      return;
    }
    if (effect === "notify" && this.client && this.currentStatus.state === "running") {
      // The full set every time: a setting the user removed is absent, i.e. default.
      void this.client.sendNotification("workspace/didChangeConfiguration", {
        settings: { issuebridge: agentOptions(this.configuration()) },
      });
    }
  }

  private killChild(): void {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill();
    }
    this.child = undefined;
  }

  dispose(): void {
    void this.stop();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
