// What the Issues view fetched per instance, and when that goes stale. Pure
// (no `vscode`), so unit-tested.
//
// A fetch belongs to the instance as it was when the fetch started: when the
// agent reports the instance changed (reconnected, failed, reconfigured) or not
// connected, the entry goes, and an answer that arrives after that is dropped
// (a 401 answer comes after the agent's own "error" state change, and must not
// outlive the Reconnect that follows).

export type FetchEntry<R, F> =
  | { state: "loading"; ticket: number; signature: string }
  | { state: "loaded"; ticket: number; signature: string; result: R }
  | { state: "failed"; ticket: number; signature: string; failure: F };

export interface InstanceLike {
  instanceId: string;
  state: string;
}

/** Two snapshots of an instance with the same signature fetch the same thing. */
export function instanceSignature(instance: InstanceLike): string {
  return JSON.stringify(instance); // the agent writes its keys in one fixed order
}

export class FetchCache<R, F> {
  private readonly entries = new Map<string, FetchEntry<R, F>>();
  private nextTicket = 1;

  get(instanceId: string): FetchEntry<R, F> | undefined {
    return this.entries.get(instanceId);
  }

  /** Marks a fetch as started; the ticket settles it. */
  begin(instance: InstanceLike): number {
    const ticket = this.nextTicket++;
    this.entries.set(instance.instanceId, { state: "loading", ticket, signature: instanceSignature(instance) });
    return ticket;
  }

  /** Records the outcome, unless the fetch was superseded meanwhile. True when recorded. */
  settle(instanceId: string, ticket: number, outcome: { result: R } | { failure: F }): boolean {
    const entry = this.entries.get(instanceId);
    if (!entry || entry.ticket !== ticket || entry.state !== "loading") return false;
    this.entries.set(
      instanceId,
      "result" in outcome
        ? { state: "loaded", ticket, signature: entry.signature, result: outcome.result }
        : { state: "failed", ticket, signature: entry.signature, failure: outcome.failure },
    );
    return true;
  }

  /** Forget one instance (or all): the next look fetches again. */
  invalidate(instanceId?: string): void {
    if (instanceId) this.entries.delete(instanceId);
    else this.entries.clear();
  }

  /** After `providers/didChange`: drop what no longer matches the instance. */
  prune(instances: readonly InstanceLike[]): void {
    const current = new Map(instances.map((instance) => [instance.instanceId, instance]));
    for (const [id, entry] of [...this.entries]) {
      const instance = current.get(id);
      if (!instance || instance.state !== "connected" || instanceSignature(instance) !== entry.signature) {
        this.entries.delete(id);
      }
    }
  }
}
