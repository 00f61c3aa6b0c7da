// What we learn from running a candidate interpreter once: its version and
// whether it can import the agent. Parsing and judging are pure (unit-tested);
// running the probe lives in findPython.ts.
import { MIN_PYTHON } from "./launchPlan";

/** Run as `python -c PROBE_SCRIPT`; prints one JSON line. */
export const PROBE_SCRIPT = [
  "import json, sys, importlib.util",
  "ok = sys.version_info >= (3, 11) and importlib.util.find_spec('agent') is not None",
  "print(json.dumps({'version': list(sys.version_info[:3]), 'executable': sys.executable, 'agent': ok}))",
].join("\n");

export interface ProbeResult {
  version: [number, number, number];
  executable: string;
  agent: boolean;
}

export function parseProbe(stdout: string): ProbeResult | undefined {
  const line = stdout.trim().split(/\r?\n/).pop();
  if (!line) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== "object" || value === null) return undefined;
    const record = value as Record<string, unknown>;
    const version = record.version;
    if (
      !Array.isArray(version) ||
      version.length !== 3 ||
      !version.every((part) => typeof part === "number")
    ) {
      return undefined;
    }
    return {
      version: version as [number, number, number],
      executable: typeof record.executable === "string" ? record.executable : "",
      agent: record.agent === true,
    };
  } catch {
    return undefined;
  }
}

export type Verdict =
  | { ok: true }
  | { ok: false; problem: "notFound" | "tooOld" | "noAgent"; detail: string };

export function judge(candidate: string, probe: ProbeResult | undefined): Verdict {
  if (!probe) return { ok: false, problem: "notFound", detail: `${candidate}: not found or not Python` };
  const [major, minor] = probe.version;
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    return {
      ok: false,
      problem: "tooOld",
      detail: `${candidate} is Python ${probe.version.join(".")}; issuebridge needs ${MIN_PYTHON.join(".")} or later`,
    };
  }
  if (!probe.agent) {
    return {
      ok: false,
      problem: "noAgent",
      detail: `${candidate} (Python ${probe.version.join(".")}) cannot import the issuebridge agent`,
    };
  }
  return { ok: true };
}

/** The message shown when no candidate works, with the fix. */
export function noPythonMessage(details: string[]): string {
  const tried = details.length ? ` Tried: ${details.join("; ")}.` : "";
  const anyTooOldOrMissing = details.length === 0 || details.every((d) => !d.includes("cannot import"));
  const fix = anyTooOldOrMissing
    ? `Install Python ${MIN_PYTHON.join(".")} or later (and select it in the Python extension), or set "issuebridge.agent.pythonPath".`
    : `Install the agent for that Python ("python -m pip install issuebridge"), or set "issuebridge.agent.pythonPath" / "issuebridge.agent.command".`;
  return `issuebridge could not start its agent.${tried} ${fix}`;
}
