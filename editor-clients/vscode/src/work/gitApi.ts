// The part of the built-in Git extension's API (`vscode.git`, API version 1)
// that Start Work uses, typed here (its full `git.d.ts` is not published as a
// package). Only what is read or called below is declared.
import * as vscode from "vscode";

export interface GitChange {
  readonly status: number;
}

export interface GitBranch {
  readonly name?: string;
}

export interface GitRepositoryState {
  readonly HEAD: GitBranch | undefined;
  readonly workingTreeChanges: readonly GitChange[];
  readonly indexChanges: readonly GitChange[];
  readonly mergeChanges: readonly GitChange[];
}

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: GitRepositoryState;
  status(): Promise<void>;
  getBranches(query: { remote?: boolean }): Promise<GitBranch[]>;
  createBranch(name: string, checkout: boolean, ref?: string): Promise<void>;
  checkout(treeish: string): Promise<void>;
}

export interface GitApi {
  readonly state: "uninitialized" | "initialized";
  readonly onDidChangeState: vscode.Event<"uninitialized" | "initialized">;
  readonly repositories: readonly GitRepository[];
}

interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

/**
 * The Git API once it knows the workspace's repositories; undefined when the
 * built-in Git extension is missing or disabled (`git.enabled: false`).
 */
export async function gitApi(): Promise<GitApi | undefined> {
  const extension = vscode.extensions.getExtension<GitExtension>("vscode.git");
  if (!extension) return undefined;
  const exports = extension.isActive ? extension.exports : await extension.activate();
  if (!exports?.enabled) return undefined;
  const api = exports.getAPI(1);
  if (api.state === "initialized") return api;
  await new Promise<void>((resolve) => {
    const subscription = api.onDidChangeState((state) => {
      if (state !== "initialized") return;
      subscription.dispose();
      resolve();
    });
  });
  return api;
}
