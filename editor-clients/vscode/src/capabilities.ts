// What a provider's tracker supports (`Provider.capabilities`, from
// `providers/list`), turned into what the editor offers: an action whose method
// the instance's provider lacks is not offered at all (no button, no menu item),
// rather than failing when chosen. Pure (no `vscode`), so unit-tested. An agent
// older than `capabilities` (the field absent) had only Jira Server, which
// supports everything.
import { Requests, type Instance, type Provider } from "./protocol";

export type Capability =
  | typeof Requests.projectsList
  | typeof Requests.issuesGet
  | typeof Requests.issuesCreateForm
  | typeof Requests.issuesCreate
  | typeof Requests.issuesTransition
  | typeof Requests.issuesComment
  | typeof Requests.issuesAssignees
  | typeof Requests.issuesAssign
  | typeof Requests.issuesStartWork;

/** Creating an issue needs the project list, the form and the create itself. */
export const CREATE_METHODS: readonly Capability[] = [
  Requests.projectsList,
  Requests.issuesCreateForm,
  Requests.issuesCreate,
];

export class Capabilities {
  private constructor(private readonly methods: ReadonlySet<string> | "all") {}

  static of(provider: Pick<Provider, "capabilities"> | undefined): Capabilities {
    if (!provider) return new Capabilities(new Set());
    return new Capabilities(provider.capabilities === undefined ? "all" : new Set(provider.capabilities));
  }

  supports(...methods: Capability[]): boolean {
    const known = this.methods;
    return known === "all" || methods.every((method) => known.has(method));
  }

  get canOpenDetails(): boolean {
    return this.supports(Requests.issuesGet);
  }

  get canCreate(): boolean {
    return this.supports(...CREATE_METHODS);
  }

  get canStartWork(): boolean {
    return this.supports(Requests.issuesStartWork);
  }

  /** What the issue detail view offers (the assignee search needs `issues/assignees` too). */
  detailActions(): DetailActions {
    return {
      transition: this.supports(Requests.issuesTransition),
      assign: this.supports(Requests.issuesAssign),
      searchAssignees: this.supports(Requests.issuesAssign, Requests.issuesAssignees),
      comment: this.supports(Requests.issuesComment),
      startWork: this.canStartWork,
    };
  }
}

export interface DetailActions {
  transition: boolean;
  assign: boolean;
  searchAssignees: boolean;
  comment: boolean;
  startWork: boolean;
}

/** The provider of an instance, in the providers list. */
export function providerOf(providers: readonly Provider[], instance: Pick<Instance, "providerId">): Provider | undefined {
  return providers.find((provider) => provider.id === instance.providerId);
}

export function capabilitiesOf(providers: readonly Provider[], instance: Pick<Instance, "providerId">): Capabilities {
  return Capabilities.of(providerOf(providers, instance));
}

/**
 * The Issues view's `contextValue` of an issue row: `issue`, then a word for each
 * action the row offers (`details`, `startWork`), which package.json's menus test.
 */
export function issueContextValue(caps: Capabilities): string {
  return ["issue", caps.canOpenDetails && "details", caps.canStartWork && "startWork"].filter(Boolean).join(" ");
}

/** An instance row's `contextValue`: `instance`, `filtered` when it has a query, `createIssue` when it can. */
export function instanceContextValue(caps: Capabilities, filtered: boolean): string {
  return ["instance", filtered && "filtered", caps.canCreate && "createIssue"].filter(Boolean).join(" ");
}

/** The example a filter prompt starts with: the tracker's own syntax, so only for a tracker whose syntax is known. */
const QUERY_EXAMPLES: Record<string, string> = {
  "jira-server": "assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC",
};

export function queryExample(providerId: string): string {
  return QUERY_EXAMPLES[providerId] ?? "";
}

/** What each action is called in "<provider> does not support <what> through issuebridge". */
export const ACTION_WORDS: Record<keyof DetailActions, string> = {
  transition: "transitions",
  assign: "assigning issues",
  searchAssignees: "searching assignees",
  comment: "comments",
  startWork: "Start Work",
};

export function unsupportedMessage(providerName: string | undefined, what: string): string {
  return `${providerName ?? "This tracker"} does not support ${what} through issuebridge.`;
}
