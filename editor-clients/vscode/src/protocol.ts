// The wire types come from the files generated out of the agent's `protocol/`
// package; this module only re-exports them and derives helper types, so that a
// regenerated protocol is picked up (or breaks the build) without hand edits.
export * from "../../types/issuebridge-protocol";
import type { RequestTypes } from "../../types/issuebridge-protocol";

export type RequestMethod = keyof RequestTypes;
export type ParamsOf<M extends RequestMethod> = RequestTypes[M]["params"];
export type ResultOf<M extends RequestMethod> = RequestTypes[M]["result"];

/** Params without the progress token: the connection adds it when it shows progress. */
export type PlainParamsOf<M extends RequestMethod> = Omit<ParamsOf<M>, "workDoneToken">;
