/** The life of the agent process, as the UI shows it. */
export type AgentStatus =
  | { state: "starting" }
  | { state: "running" }
  | { state: "stopped" }
  | { state: "failed"; reason: string; noPython: boolean };
