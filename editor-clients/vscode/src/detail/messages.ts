// Messages between an issue's detail webview and the extension host. The host
// checks the shape of everything the webview sends (parseDetailMessage).
import type { DetailActions } from "../capabilities";
import type { AgentFailure } from "../errors";
import type { IssueDetail, User } from "../protocol";
import { isId, isRequestId, isShape, isText } from "../panel/messageChecks";

/** Host → webview. */
export type DetailHostMessage =
  /** `actions`: what the instance's tracker supports; the webview shows no control for the rest. */
  | { type: "issue"; issue: IssueDetail; instanceLabel: string; actions: DetailActions }
  | { type: "loadFailed"; failure: AgentFailure }
  | { type: "result"; requestId: number; ok: true; users?: User[] }
  | { type: "result"; requestId: number; ok: false; failure: AgentFailure };

export type Assignee = { name: string } | "me" | null;

/** Webview → host. */
export type DetailMessage =
  | { type: "ready" }
  | { type: "refresh" }
  | { type: "openInBrowser" }
  | { type: "copy"; text: string }
  | { type: "transition"; requestId: number; transitionId: string; comment?: string }
  | { type: "assign"; requestId: number; assignee: Assignee }
  | { type: "searchAssignees"; requestId: number; query: string }
  | { type: "comment"; requestId: number; body: string }
  | { type: "startWork"; requestId: number };

function assigneeOf(value: unknown): Assignee | undefined {
  if (value === null || value === "me") return value;
  if (isShape(value) && isId(value.name)) return { name: value.name };
  return undefined;
}

export function parseDetailMessage(raw: unknown): DetailMessage | undefined {
  if (!isShape(raw) || typeof raw.type !== "string") return undefined;
  switch (raw.type) {
    case "ready":
    case "refresh":
    case "openInBrowser":
      return { type: raw.type };
    case "copy":
      return isText(raw.text, 10_000) ? { type: "copy", text: raw.text } : undefined;
    case "startWork":
      return isRequestId(raw.requestId) ? { type: "startWork", requestId: raw.requestId } : undefined;
    case "transition": {
      if (!isRequestId(raw.requestId) || !isId(raw.transitionId)) return undefined;
      if (raw.comment !== undefined && !isText(raw.comment)) return undefined;
      const comment = typeof raw.comment === "string" ? raw.comment.trim() : "";
      return { type: "transition", requestId: raw.requestId, transitionId: raw.transitionId, ...(comment ? { comment } : {}) };
    }
    case "assign": {
      const assignee = assigneeOf(raw.assignee);
      return isRequestId(raw.requestId) && assignee !== undefined
        ? { type: "assign", requestId: raw.requestId, assignee }
        : undefined;
    }
    case "searchAssignees":
      return isRequestId(raw.requestId) && isText(raw.query, 200)
        ? { type: "searchAssignees", requestId: raw.requestId, query: raw.query.trim() }
        : undefined;
    case "comment":
      return isRequestId(raw.requestId) && isText(raw.body) && raw.body.trim() !== ""
        ? { type: "comment", requestId: raw.requestId, body: raw.body }
        : undefined;
    default:
      return undefined;
  }
}

/** Whether the tracker supports what an action message asks (the host refuses the rest unsent). */
export function actionSupported(
  message: Extract<DetailMessage, { requestId: number }>,
  actions: DetailActions,
): boolean {
  return actions[message.type];
}
