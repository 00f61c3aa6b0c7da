// What Start Work does in git once the agent named the branch: nothing (already
// on it), check it out, or create it; and whether to ask first because the
// working tree has uncommitted changes. Pure, so unit-tested.
import type { GitRepositoryState } from "./gitApi";

/** `Status` of git.d.ts: only the ones that matter here. */
export const GitStatus = { UNTRACKED: 7, IGNORED: 8 } as const;

export type BranchStep = "alreadyOn" | "checkout" | "create";

export interface BranchPlan {
  step: BranchStep;
  /** Uncommitted changes would travel along to the other branch: ask first. */
  askFirst: boolean;
}

/** Staged, modified or conflicting files; untracked and ignored ones do not count. */
export function hasUncommittedChanges(state: Pick<GitRepositoryState, "workingTreeChanges" | "indexChanges" | "mergeChanges">): boolean {
  const tracked = state.workingTreeChanges.filter(
    (change) => change.status !== GitStatus.UNTRACKED && change.status !== GitStatus.IGNORED,
  );
  return tracked.length > 0 || state.indexChanges.length > 0 || state.mergeChanges.length > 0;
}

export function planBranch(branchName: string, currentBranch: string | undefined, existing: readonly string[], dirty: boolean): BranchPlan {
  if (currentBranch === branchName) return { step: "alreadyOn", askFirst: false };
  return { step: existing.includes(branchName) ? "checkout" : "create", askFirst: dirty };
}
