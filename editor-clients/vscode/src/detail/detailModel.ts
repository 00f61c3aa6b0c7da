// What an issue's detail view shows, as label/value rows, and how it words
// transitions and dates. Pure (no DOM, no `vscode`), so unit-tested. Every
// value is plain text: the webview puts it in with textContent.
import type { IssueDetail, Transition } from "../protocol";

export interface MetaRow {
  label: string;
  value: string;
  /** The row's `data-field`, for styling and for tests. */
  field: string;
}

/** Jira's timestamps (`2024-03-05T14:22:01.000+0000`) in the reader's locale; the text itself if unparseable. */
export function formatDate(iso: string, locale?: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toLocaleString(locale);
}

export function metaRows(issue: IssueDetail, locale?: string): MetaRow[] {
  return [
    { field: "status", label: "Status", value: issue.status.name },
    { field: "type", label: "Type", value: issue.type ?? "—" },
    { field: "priority", label: "Priority", value: issue.priority ?? "—" },
    { field: "assignee", label: "Assignee", value: issue.assignee?.displayName ?? "Unassigned" },
    { field: "reporter", label: "Reporter", value: issue.reporter?.displayName ?? "—" },
    { field: "labels", label: "Labels", value: issue.labels.length ? issue.labels.join(", ") : "—" },
    { field: "created", label: "Created", value: formatDate(issue.createdAt, locale) },
    { field: "updated", label: "Updated", value: formatDate(issue.updatedAt, locale) },
  ];
}

/** "Start Progress → In Progress"; just the name when it says where it leads. */
export function transitionLabel(transition: Transition): string {
  return transition.name.trim().toLowerCase() === transition.to.name.trim().toLowerCase()
    ? transition.name
    : `${transition.name} → ${transition.to.name}`;
}

/** Start Work makes sense unless the issue is done (the agent moves it to in progress, if it is not there yet). */
export function canStartWork(issue: Pick<IssueDetail, "status">): boolean {
  return issue.status.category !== "done";
}
