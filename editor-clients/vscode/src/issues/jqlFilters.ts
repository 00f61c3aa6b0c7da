// The filter of each instance (a query in its tracker's own syntax: JQL for
// Jira), remembered per workspace (a filter belongs to the project at hand, not
// to every window). The storage key keeps its old `jql` name.

/** The part of `vscode.Memento` used here. */
export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const PREFIX = "issuebridge.jql.";

export class JqlFilters {
  constructor(private readonly state: StateStore) {}

  get(instanceId: string): string | undefined {
    const value = this.state.get<unknown>(PREFIX + instanceId);
    return typeof value === "string" && value.trim() !== "" ? value : undefined;
  }

  async set(instanceId: string, query: string | undefined): Promise<void> {
    const trimmed = query?.trim();
    await this.state.update(PREFIX + instanceId, trimmed ? trimmed : undefined);
  }
}
