// Where the agent keeps secrets: `providers/list` answers `secretStorage`
// (shared decision 6); "file" means no OS keyring, a 0600 file instead. Pure.

export interface SecretStorageInfo {
  kind: "keyring" | "file";
  path?: string;
}

/** `secretStorage` of a `providers/list` result, checked: older agents leave it out. */
export function secretStorageOf(result: unknown): SecretStorageInfo | undefined {
  const storage = (result as { secretStorage?: unknown } | undefined)?.secretStorage;
  if (typeof storage !== "object" || storage === null) return undefined;
  const { kind, path } = storage as { kind?: unknown; path?: unknown };
  if (kind !== "keyring" && kind !== "file") return undefined;
  return typeof path === "string" && path ? { kind, path } : { kind };
}

/** The one-time note is remembered as dismissed per file. */
export function secretFileNoteKey(storage: SecretStorageInfo): string {
  return `issuebridge.secretFileNoteDismissed:${storage.path ?? ""}`;
}
