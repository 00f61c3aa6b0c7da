// An issue's detail view, running inside the webview: renders the issue the
// host sends (all of it as text, never as HTML: descriptions and comments are
// Jira's markup as written) and sends the user's actions back. It never talks
// to the agent or the network itself.
import { canStartWork, formatDate, metaRows, transitionLabel } from "../../detail/detailModel";
import type { DetailActions } from "../../capabilities";
import type { DetailHostMessage, DetailMessage } from "../../detail/messages";
import type { AgentFailure } from "../../errors";
import type { IssueDetail, User } from "../../protocol";
import { connect } from "../bridge";
import { button, h } from "../dom";
import { failureText } from "../failure";

type ResultMessage = Extract<DetailHostMessage, { type: "result" }>;

const bridge = connect<DetailMessage, ResultMessage>();
const app = document.getElementById("app") as HTMLElement;

let issue: IssueDetail | undefined;
let instanceLabel = "";
/** What the instance's tracker supports: the view shows no control for the rest. */
let actions: DetailActions = { transition: false, assign: false, searchAssignees: false, comment: false, startWork: false };
/** Sections with a request in flight: their buttons wait. */
const busy = new Set<string>();
/** Errors shown beside an action, until that action is tried again. */
const errors = new Map<string, AgentFailure>();
let searchResults: User[] = [];
let latestSearch = 0;
let searchTimer: ReturnType<typeof setTimeout> | undefined;

/** Text typed into the view survives a re-render (an issue read again). */
const drafts = { transitionComment: "", comment: "", assigneeQuery: "" };

function act(section: string, build: (requestId: number) => DetailMessage, onDone?: () => void): void {
  busy.add(section);
  errors.delete(section);
  render();
  bridge.request(build, (result) => {
    busy.delete(section);
    if (result.ok) onDone?.();
    else errors.set(section, result.failure);
    render();
  });
}

function errorPlace(section: string): HTMLElement {
  const failure = errors.get(section);
  return h("div", { class: "action-error", "data-section": section, role: "alert" }, ...(failure ? failureText(failure) : []));
}

function textArea(name: keyof typeof drafts, label: string, rows: number): HTMLElement {
  const id = `draft-${name}`;
  const area = h("textarea", { id, name, rows });
  area.value = drafts[name];
  area.addEventListener("input", () => {
    drafts[name] = area.value;
  });
  return h("div", { class: "field" }, h("label", { for: id }, label), area);
}

function headerPart(current: IssueDetail): HTMLElement {
  return h(
    "header",
    { class: "issue-header" },
    h(
      "div",
      { class: "issue-key-line" },
      h("span", { class: "badge", "data-field": "key" }, current.key),
      h("span", { class: "muted" }, `${current.project.name} · ${instanceLabel}`),
    ),
    h("h1", {}, current.title),
    h(
      "div",
      { class: "actions" },
      button("Open in Browser", () => bridge.send({ type: "openInBrowser" }), { class: "secondary" }),
      button("Copy Key", () => bridge.send({ type: "copy", text: current.key }), { class: "secondary" }),
      button("Refresh", () => bridge.send({ type: "refresh" }), { class: "secondary" }),
    ),
  );
}

function metaPart(current: IssueDetail): HTMLElement {
  return h(
    "dl",
    { class: "meta", "aria-label": "Details" },
    ...metaRows(current).flatMap((row) => [h("dt", {}, row.label), h("dd", { "data-field": row.field }, row.value)]),
  );
}

function startWorkPart(current: IssueDetail): HTMLElement {
  return h(
    "section",
    { class: "card", "aria-label": "Start work" },
    h(
      "div",
      { class: "actions" },
      button("Start Work", () => act("startWork", (requestId) => ({ type: "startWork", requestId })), {
        disabled: busy.has("startWork") || !canStartWork(current),
      }),
      h("span", { class: "muted" }, "Assigns it to you, moves it to in progress and creates its branch."),
    ),
    errorPlace("startWork"),
  );
}

function transitionPart(current: IssueDetail): HTMLElement {
  const pending = busy.has("transition");
  return h(
    "section",
    { class: "card", "aria-label": "Transition" },
    h("h2", {}, "Transition"),
    current.transitions.length
      ? h(
          "div",
          { class: "actions" },
          ...current.transitions.map((transition) =>
            button(
              transitionLabel(transition),
              () =>
                act("transition", (requestId) => ({
                  type: "transition",
                  requestId,
                  transitionId: transition.id,
                  ...(drafts.transitionComment.trim() ? { comment: drafts.transitionComment } : {}),
                }), () => {
                  drafts.transitionComment = "";
                }),
              { class: "secondary", disabled: pending, "data-transition-id": transition.id },
            ),
          ),
        )
      : h("p", { class: "muted" }, "This issue offers no transitions to you now."),
    current.transitions.length > 0 && textArea("transitionComment", "Comment with the transition (optional)", 2),
    errorPlace("transition"),
  );
}

function searchAssignees(query: string): void {
  if (searchTimer) clearTimeout(searchTimer);
  if (!query.trim()) {
    searchResults = [];
    renderResults();
    return;
  }
  // Ask when typing pauses; only the answer to the newest question counts.
  searchTimer = setTimeout(() => {
    bridge.request(
      (requestId) => {
        latestSearch = requestId;
        return { type: "searchAssignees", requestId, query };
      },
      (result) => {
        if (result.requestId !== latestSearch) return;
        if (result.ok) {
          errors.delete("assign");
          searchResults = result.users ?? [];
        } else {
          errors.set("assign", result.failure);
          searchResults = [];
        }
        renderResults();
      },
    );
  }, 250);
}

const resultsHost = h("div");

function renderResults(): void {
  const assign = (user: User): void =>
    act("assign", (requestId) => ({ type: "assign", requestId, assignee: { name: user.name } }), () => {
      drafts.assigneeQuery = "";
      searchResults = [];
    });
  const list = searchResults.length
    ? h(
        "ul",
        { class: "user-results", "aria-label": "People found" },
        ...searchResults.map((user) =>
          h("li", {}, button(`${user.displayName} (${user.name})`, () => assign(user), { class: "secondary small", disabled: busy.has("assign") })),
        ),
      )
    : drafts.assigneeQuery.trim()
      ? h("p", { class: "muted" }, "Nobody found yet.")
      : null;
  resultsHost.replaceChildren(...(list ? [list] : []), errorPlace("assign"));
}

function assignPart(current: IssueDetail): HTMLElement {
  const pending = busy.has("assign");
  const input = h("input", {
    type: "text",
    id: "assignee-search",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "Type a name",
  });
  input.value = drafts.assigneeQuery;
  input.addEventListener("input", () => {
    drafts.assigneeQuery = input.value;
    searchAssignees(input.value);
  });
  renderResults();
  return h(
    "section",
    { class: "card", "aria-label": "Assign" },
    h("h2", {}, "Assign"),
    h("p", {}, "Assignee: ", h("strong", { "data-field": "current-assignee" }, current.assignee?.displayName ?? "Unassigned")),
    h(
      "div",
      { class: "actions" },
      button("Assign to me", () => act("assign", (requestId) => ({ type: "assign", requestId, assignee: "me" })), {
        class: "secondary",
        disabled: pending,
      }),
      button("Unassign", () => act("assign", (requestId) => ({ type: "assign", requestId, assignee: null })), {
        class: "secondary",
        disabled: pending || !current.assignee,
      }),
    ),
    actions.searchAssignees && h("div", { class: "field" }, h("label", { for: "assignee-search" }, "Assign to someone else"), input),
    actions.searchAssignees && resultsHost,
  );
}

function descriptionPart(current: IssueDetail): HTMLElement {
  const text = current.description?.trim();
  return h(
    "section",
    { "aria-label": "Description" },
    h("h2", {}, "Description"),
    text ? h("div", { class: "plain-text", "data-field": "description" }, current.description ?? "") : h("p", { class: "muted" }, "No description."),
  );
}

function commentsPart(current: IssueDetail): HTMLElement {
  return h(
    "section",
    { "aria-label": "Comments" },
    h("h2", {}, `Comments (${current.comments.length})`),
    ...current.comments.map((comment) =>
      h(
        "article",
        { class: "comment", "data-comment-id": comment.id },
        h("div", { class: "muted" }, h("strong", {}, comment.author.displayName), ` · ${formatDate(comment.createdAt)}`),
        h("div", { class: "plain-text" }, comment.body),
      ),
    ),
    actions.comment && textArea("comment", "Add a comment", 4),
    actions.comment && h(
      "div",
      { class: "actions" },
      button(
        "Add Comment",
        () => {
          if (!drafts.comment.trim()) return;
          act("comment", (requestId) => ({ type: "comment", requestId, body: drafts.comment }), () => {
            drafts.comment = "";
          });
        },
        { disabled: busy.has("comment") },
      ),
    ),
    actions.comment && errorPlace("comment"),
  );
}

function render(): void {
  if (!issue) return;
  app.replaceChildren(
    headerPart(issue),
    metaPart(issue),
    ...(actions.startWork ? [startWorkPart(issue)] : []),
    ...(actions.transition ? [transitionPart(issue)] : []),
    ...(actions.assign ? [assignPart(issue)] : []),
    descriptionPart(issue),
    commentsPart(issue),
  );
}

window.addEventListener("message", (event: MessageEvent<DetailHostMessage>) => {
  const message = event.data;
  switch (message.type) {
    case "issue":
      issue = message.issue;
      instanceLabel = message.instanceLabel;
      actions = message.actions;
      render();
      return;
    case "loadFailed":
      app.replaceChildren(
        ...(issue ? [headerPart(issue)] : []),
        h("div", { class: "banner", role: "alert" }, ...failureText(message.failure)),
        h("div", { class: "actions" }, button("Retry", () => bridge.send({ type: "refresh" }))),
      );
      return;
    case "result":
      bridge.settle(message);
      return;
  }
});

bridge.send({ type: "ready" });
