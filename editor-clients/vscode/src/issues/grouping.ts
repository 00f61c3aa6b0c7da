// How issues are arranged and labelled in the Issues view. Pure (no `vscode`),
// so the arrangement is unit-tested.
import { INSECURE_LABEL } from "../insecure";
import type { Instance, Issue, StatusCategory } from "../protocol";

/** Work in progress first: it is what a developer looks for. */
export const CATEGORY_ORDER: readonly StatusCategory[] = ["inProgress", "todo", "done"];

export const CATEGORY_LABELS: Record<StatusCategory, string> = {
  inProgress: "In Progress",
  todo: "To Do",
  done: "Done",
};

export interface IssueGroup {
  category: StatusCategory;
  label: string;
  issues: Issue[];
}

/** Non-empty groups in CATEGORY_ORDER; each keeps the agent's order (newest update first). */
export function groupByCategory(issues: readonly Issue[]): IssueGroup[] {
  const buckets = new Map<StatusCategory, Issue[]>();
  for (const issue of issues) {
    const bucket = buckets.get(issue.status.category) ?? [];
    bucket.push(issue);
    buckets.set(issue.status.category, bucket);
  }
  return CATEGORY_ORDER.filter((category) => buckets.has(category)).map((category) => ({
    category,
    label: CATEGORY_LABELS[category],
    issues: buckets.get(category) ?? [],
  }));
}

export function groupLabel(group: IssueGroup): string {
  return `${group.label} (${group.issues.length})`;
}

/** `https://jira.example.com/jira` → `jira.example.com/jira`. */
export function instanceLabel(instance: Pick<Instance, "baseUrl">): string {
  return instance.baseUrl.replace(/^https?:\/\//, "");
}

export function instanceDescription(
  instance: Instance,
  fetched: { shown: number; total: number } | undefined,
  query: string | undefined,
): string {
  const parts: string[] = [];
  if (instance.insecure) parts.push(`⚠ ${INSECURE_LABEL}`);
  if (instance.scope === "team") parts.push("team");
  if (instance.state === "connected") {
    if (instance.user) parts.push(instance.user.displayName);
    if (fetched) {
      parts.push(
        fetched.total > fetched.shown
          ? `${fetched.shown} of ${fetched.total} issues`
          : `${fetched.total} issue${fetched.total === 1 ? "" : "s"}`,
      );
    }
  } else {
    parts.push(stateLabel(instance));
  }
  if (query) parts.push(`query: ${query}`);
  return parts.join(" · ");
}

export function stateLabel(instance: Pick<Instance, "state">): string {
  switch (instance.state) {
    case "connected":
      return "connected";
    case "needsAuthorization":
      return "needs authorization";
    case "error":
      return "error";
  }
}

export function issueDescription(issue: Issue): string {
  return [issue.status.name, issue.priority, issue.assignee?.displayName]
    .filter((part): part is string => Boolean(part))
    .join(" · ");
}
