import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  Capabilities,
  capabilitiesOf,
  instanceContextValue,
  issueContextValue,
  queryExample,
  unsupportedMessage,
} from "../src/capabilities";
import { actionSupported } from "../src/detail/messages";
import { Requests, type Provider } from "../src/protocol";
import { tokenMethod } from "./fixtures";

/** A tracker that can list and read issues and comment on them, nothing else. */
const fewCapabilities: Provider = {
  id: "few-tracker",
  name: "Few Tracker",
  kind: "issues",
  authMethods: [tokenMethod],
  instances: [],
  capabilities: [Requests.issuesGet, Requests.issuesComment, Requests.issuesAssignees],
};

const allCapabilities: Provider = {
  ...fewCapabilities,
  id: "jira-server",
  name: "Jira Server",
  capabilities: [
    Requests.projectsList,
    Requests.issuesGet,
    Requests.issuesCreateForm,
    Requests.issuesCreate,
    Requests.issuesTransition,
    Requests.issuesComment,
    Requests.issuesAssignees,
    Requests.issuesAssign,
    Requests.issuesStartWork,
  ],
};

test("a provider with few capabilities offers only those actions", () => {
  const caps = Capabilities.of(fewCapabilities);
  assert.equal(caps.canOpenDetails, true);
  assert.equal(caps.canCreate, false);
  assert.equal(caps.canStartWork, false);
  assert.deepEqual(caps.detailActions(), {
    transition: false,
    assign: false,
    // The search alone is of no use without assigning.
    searchAssignees: false,
    comment: true,
    startWork: false,
  });
  assert.equal(issueContextValue(caps), "issue details");
  assert.equal(instanceContextValue(caps, false), "instance");
  assert.equal(instanceContextValue(caps, true), "instance filtered");
});

test("Jira Server, which lists every capability, is offered everything", () => {
  const caps = Capabilities.of(allCapabilities);
  assert.equal(caps.canCreate, true);
  assert.deepEqual(Object.values(caps.detailActions()), [true, true, true, true, true]);
  assert.equal(issueContextValue(caps), "issue details startWork");
  assert.equal(instanceContextValue(caps, true), "instance filtered createIssue");
});

test("the menus' when clauses match the context values", () => {
  // The regular expressions of package.json's view/item/context entries.
  const startWork = /^issue\b.*\bstartWork\b/;
  const details = /^issue\b.*\bdetails\b/;
  const anyIssue = /^issue\b/;
  const create = /^instance\b.*\bcreateIssue\b/;
  const filtered = /\bfiltered\b/;
  const few = Capabilities.of(fewCapabilities);
  const all = Capabilities.of(allCapabilities);
  assert.ok(!startWork.test(issueContextValue(few)) && startWork.test(issueContextValue(all)));
  assert.ok(details.test(issueContextValue(few)) && anyIssue.test(issueContextValue(few)));
  assert.ok(!details.test(issueContextValue(Capabilities.of({ capabilities: [] }))));
  assert.ok(!create.test(instanceContextValue(few, true)) && create.test(instanceContextValue(all, false)));
  assert.ok(filtered.test(instanceContextValue(few, true)) && !filtered.test(instanceContextValue(all, false)));
});

test("package.json offers Start Work, Open Details and Create Issue only where the context value says so", () => {
  const manifest = JSON.parse(readFileSync("package.json", "utf8")) as {
    contributes: { menus: Record<string, { command: string; when: string }[]> };
  };
  const { menus } = manifest.contributes;
  const whens = (command: string, menu: string): string[] =>
    (menus[menu] ?? []).filter((entry) => entry.command === command).map((entry) => entry.when);
  for (const when of whens("issuebridge.startWork", "view/item/context")) assert.match(when, /\\bstartWork\\b/);
  for (const when of whens("issuebridge.openIssueDetails", "view/item/context")) assert.match(when, /\\bdetails\\b/);
  for (const when of whens("issuebridge.createIssue", "view/item/context")) assert.match(when, /\\bcreateIssue\\b/);
  for (const when of whens("issuebridge.createIssue", "view/title")) assert.match(when, /!issuebridge\.noCreateIssue/);
});

test("an agent older than capabilities (the field absent) had only Jira: everything; an unknown provider: nothing", () => {
  const older: Provider = { ...allCapabilities };
  delete older.capabilities;
  assert.equal(Capabilities.of(older).canCreate, true);
  assert.equal(Capabilities.of(undefined).canOpenDetails, false);
  assert.equal(capabilitiesOf([fewCapabilities], { providerId: "few-tracker" }).canOpenDetails, true);
  assert.equal(capabilitiesOf([fewCapabilities], { providerId: "gone" }).canOpenDetails, false);
});

test("the host refuses, unsent, an action the tracker lacks", () => {
  const actions = Capabilities.of(fewCapabilities).detailActions();
  assert.equal(actionSupported({ type: "comment", requestId: 1, body: "hi" }, actions), true);
  assert.equal(actionSupported({ type: "transition", requestId: 2, transitionId: "11" }, actions), false);
  assert.equal(actionSupported({ type: "startWork", requestId: 3 }, actions), false);
  assert.equal(unsupportedMessage("Few Tracker", "transitions"), "Few Tracker does not support transitions through issuebridge.");
});

test("the filter prompt starts with an example only in a syntax it knows", () => {
  assert.match(queryExample("jira-server"), /currentUser\(\)/);
  assert.equal(queryExample("few-tracker"), "");
});
