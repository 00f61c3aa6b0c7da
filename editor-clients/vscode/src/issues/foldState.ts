// Which instances the user folded in the Issues view, remembered per workspace
// so that a reload keeps them folded. Pure (a Memento-like store), unit-tested.
import type { StateStore } from "./jqlFilters";

const KEY = "issuebridge.foldedInstances";

export class FoldState {
  constructor(private readonly state: StateStore) {}

  private read(): string[] {
    const value = this.state.get<unknown>(KEY);
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === "string") : [];
  }

  isFolded(instanceId: string): boolean {
    return this.read().includes(instanceId);
  }

  async setFolded(instanceId: string, folded: boolean): Promise<void> {
    const others = this.read().filter((id) => id !== instanceId);
    await this.state.update(KEY, folded ? [...others, instanceId] : others);
  }
}
