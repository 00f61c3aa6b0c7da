// The status-bar text for the agent and the connections. Pure, unit-tested.
import type { AgentStatus } from "../agent/status";
import type { Instance } from "../protocol";

export interface StatusSummary {
  text: string;
  tooltip: string;
  severity: "ok" | "warning" | "error" | "none";
}

export function summarize(agent: AgentStatus["state"], reason: string | undefined, instances: readonly Instance[]): StatusSummary {
  if (agent === "starting") {
    return { text: "$(sync~spin) issuebridge", tooltip: "The issuebridge agent is starting", severity: "none" };
  }
  if (agent === "failed" || agent === "stopped") {
    return {
      text: "$(error) issuebridge: agent stopped",
      tooltip: reason ? `The issuebridge agent is not running: ${reason}` : "The issuebridge agent is not running",
      severity: "error",
    };
  }
  if (instances.length === 0) {
    return { text: "$(plug) issuebridge: not connected", tooltip: "Open Integrations to connect an issue tracker", severity: "none" };
  }
  const count = (state: Instance["state"]): number => instances.filter((i) => i.state === state).length;
  const lines = instances.map((i) => `${i.baseUrl}: ${i.state}${i.error ? ` (${i.error})` : ""}`);
  const tooltip = lines.join("\n");
  if (count("error") > 0) return { text: `$(error) issuebridge: ${count("error")} failing`, tooltip, severity: "error" };
  if (count("needsAuthorization") > 0) {
    return { text: `$(warning) issuebridge: ${count("needsAuthorization")} to authorize`, tooltip, severity: "warning" };
  }
  return { text: `$(check) issuebridge: ${count("connected")} connected`, tooltip, severity: "ok" };
}
