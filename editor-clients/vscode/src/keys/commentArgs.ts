// The argument of `issuebridge.createIssueFromComment` (the agent's code action
// on a TODO/FIXME line), checked, and what the Create Issue flow makes of it.
// Kept free of the `vscode` module so it is unit-tested.
import type { CreateFromCommentArgs } from "../protocol";

/** The command the agent advertises in executeCommandProvider. */
export const CREATE_ISSUE_FROM_COMMENT = "issuebridge.createIssueFromComment";

const MAX_TEXT = 10_000;

function isPosition(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

function optionalId(value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" && value !== "" && value.length <= 1000 ? value : null;
}

/**
 * The command's one argument as the agent sent it, or undefined when it is not
 * that shape (a range that ends before it starts, a text longer than a comment).
 */
export function parseCommentArgs(args: readonly unknown[]): CreateFromCommentArgs | undefined {
  const raw = args[0];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const { uri, line, startCharacter, endCharacter, text, path, instanceId, projectKey } = raw as Record<string, unknown>;
  if (typeof uri !== "string" || uri === "" || typeof path !== "string") return undefined;
  if (!isPosition(line) || !isPosition(startCharacter) || !isPosition(endCharacter)) return undefined;
  if (endCharacter < startCharacter) return undefined;
  if (typeof text !== "string" || text.trim() === "" || text.length > MAX_TEXT) return undefined;
  const instance = optionalId(instanceId);
  const project = optionalId(projectKey);
  if (instance === null || project === null) return undefined;
  return {
    uri,
    line,
    startCharacter,
    endCharacter,
    text,
    path,
    ...(instance ? { instanceId: instance } : {}),
    ...(project ? { projectKey: project } : {}),
  };
}

/** Where the comment is, as the description says it: the path and the 1-based line. */
export function commentPlace(args: Pick<CreateFromCommentArgs, "path" | "line">): string {
  return `${args.path}:${args.line + 1}`;
}

/** The form's starting values: the agent's own (summary = the text; description = it and where it is). */
export function commentFields(args: CreateFromCommentArgs): Record<string, string> {
  const text = args.text.trim();
  return { summary: text, description: `${text}\n\nFrom ${commentPlace(args)}` };
}

/** `items` with those `first` accepts ahead of the rest, each group in its order. */
export function proposedFirst<T>(items: readonly T[], first: (item: T) => boolean): T[] {
  return [...items.filter(first), ...items.filter((item) => !first(item))];
}

/** The type the agent would pick: "Task" when offered, else the form's own default. */
export function proposedIssueType(types: readonly { id: string; name: string }[], defaultId: string): string {
  return types.find((type) => type.name.toLowerCase() === "task")?.id ?? defaultId;
}
