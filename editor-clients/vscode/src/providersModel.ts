// The editor's copy of what the agent knows about providers and instances:
// loaded with `providers/list` when the agent (re)starts and replaced on every
// `providers/didChange`. The panel, the Issues view and the status bar all read
// from here, so they never disagree.
import * as vscode from "vscode";
import type { AgentConnection } from "./agent/connection";
import { Capabilities, capabilitiesOf } from "./capabilities";
import { toFailure } from "./errors";
import { secretStorageOf, type SecretStorageInfo } from "./secretStorage";
import { Requests, type Instance, type Provider } from "./protocol";

export class ProvidersModel implements vscode.Disposable {
  private current: Provider[] = [];
  private storage: SecretStorageInfo | undefined;
  private readonly emitter = new vscode.EventEmitter<Provider[]>();
  private readonly subscriptions: vscode.Disposable[];
  readonly onDidChange = this.emitter.event;

  constructor(private readonly agent: AgentConnection) {
    this.subscriptions = [
      this.emitter,
      agent.onDidChangeProviders((providers) => this.set(providers)),
      agent.onDidChangeStatus((status) => {
        if (status.state === "running") void this.refresh();
        else if (status.state !== "starting") {
          this.storage = undefined;
          this.set([]);
        }
      }),
    ];
  }

  /** Where the agent keeps secrets, as `providers/list` last said (absent from older agents). */
  get secretStorage(): SecretStorageInfo | undefined {
    return this.storage;
  }

  get providers(): Provider[] {
    return this.current;
  }

  get instances(): Instance[] {
    return this.current.flatMap((provider) => provider.instances);
  }

  instance(instanceId: string): Instance | undefined {
    return this.instances.find((instance) => instance.instanceId === instanceId);
  }

  provider(providerId: string): Provider | undefined {
    return this.current.find((provider) => provider.id === providerId);
  }

  providerOfInstance(instanceId: string): Provider | undefined {
    const instance = this.instance(instanceId);
    return instance ? this.provider(instance.providerId) : undefined;
  }

  /** What the instance's tracker supports (nothing, for an instance no longer listed). */
  capabilities(instanceId: string): Capabilities {
    const instance = this.instance(instanceId);
    return instance ? capabilitiesOf(this.current, instance) : Capabilities.of(undefined);
  }

  /**
   * Instances are connected but none of their trackers can create issues: Create
   * Issue is not offered (with none connected it is, to say "connect first").
   */
  get noCreateIssue(): boolean {
    const connected = this.instances.filter((instance) => instance.state === "connected");
    return connected.length > 0 && !connected.some((instance) => this.capabilities(instance.instanceId).canCreate);
  }

  async refresh(): Promise<void> {
    try {
      const result = await this.agent.request(Requests.providersList, {});
      this.storage = secretStorageOf(result);
      this.set(result.providers);
    } catch (error) {
      this.agent.log.error(`Listing providers failed: ${toFailure(error).message}`);
    }
  }

  private set(providers: Provider[]): void {
    this.current = providers;
    this.emitter.fire(providers);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

