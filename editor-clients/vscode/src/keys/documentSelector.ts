// Which documents the language client syncs to the agent (and so gets issue-key
// links, hovers, completion and code actions in): `issuebridge.issueKeys.documentSelector`,
// checked, or the default. Kept free of the `vscode` module so it is unit-tested.
import type { SettingsReader } from "../agent/settings";

/** The string-only part of VS Code's DocumentFilter that a setting can hold. */
export interface KeysDocumentFilter {
  language?: string;
  scheme?: string;
  pattern?: string;
}

/**
 * Every file on disk and every new untitled one, git commit messages in an editor
 * (`COMMIT_EDITMSG`, language `git-commit`, as VS Code's git extension opens it with
 * `git.useEditorAsCommitInput`) and the Source Control view's commit message box,
 * whose document has the `vscode-scm` scheme (the scheme the git extension's own
 * commit-message code actions and diagnostics use).
 */
export const DEFAULT_DOCUMENT_SELECTOR: readonly KeysDocumentFilter[] = [
  { scheme: "file" },
  { scheme: "untitled" },
  { language: "git-commit" },
  { scheme: "vscode-scm" },
];

const FILTER_KEYS = ["language", "scheme", "pattern"] as const;

export interface SelectorChoice {
  selector: KeysDocumentFilter[];
  /** Entries of the setting that were left out (not a filter), to say so in the log. */
  ignored: unknown[];
}

/** One entry of the setting as a filter, or undefined when it names no language, scheme or pattern. */
export function filterOf(entry: unknown): KeysDocumentFilter | undefined {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return undefined;
  const filter: KeysDocumentFilter = {};
  for (const key of FILTER_KEYS) {
    const value = (entry as Record<string, unknown>)[key];
    if (typeof value === "string" && value.trim() !== "") filter[key] = value.trim();
  }
  return Object.keys(filter).length > 0 ? filter : undefined;
}

/**
 * `issuebridge.issueKeys.documentSelector`: not an array (or unset) gives the
 * default; an array gives its valid filters, in order, so `[]` syncs no document.
 */
export function documentSelectorOf(settings: SettingsReader): SelectorChoice {
  const raw = settings.get<unknown>("issueKeys.documentSelector");
  if (!Array.isArray(raw)) return { selector: DEFAULT_DOCUMENT_SELECTOR.map((filter) => ({ ...filter })), ignored: [] };
  const selector: KeysDocumentFilter[] = [];
  const ignored: unknown[] = [];
  for (const entry of raw) {
    const filter = filterOf(entry);
    if (filter) selector.push(filter);
    else ignored.push(entry);
  }
  return { selector, ignored };
}
