// When the agent dies we restart it, but not forever: a Python that crashes at
// import would otherwise spin. Also turns the way it died into one line a
// person can read. Pure, so unit-tested.

export class RestartBudget {
  private crashes: number[] = [];

  constructor(
    private readonly maxRestarts = 4,
    private readonly windowMs = 3 * 60_000,
  ) {}

  /** Records a crash at `now`; true while another restart is allowed. */
  allowRestart(now: number): boolean {
    this.crashes = this.crashes.filter((time) => now - time < this.windowMs);
    this.crashes.push(now);
    return this.crashes.length <= this.maxRestarts;
  }

  reset(): void {
    this.crashes = [];
  }
}

/** Keeps the last lines of the agent's stderr to explain a crash. */
export class TailBuffer {
  private lines: string[] = [];
  private partial = "";

  constructor(private readonly maxLines = 40) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? "";
    this.lines.push(...parts.filter((line) => line.trim() !== ""));
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
  }

  text(): string[] {
    return this.partial.trim() ? [...this.lines, this.partial] : [...this.lines];
  }
}

export interface ExitInfo {
  code: number | null;
  signal: string | null;
}

/** A routine log line of the agent (`2024-03-05 14:22:01,123 INFO …`): never the reason. */
const ROUTINE_LOG_LINE = /^\d{4}-\d\d-\d\d[ T][\d:.,]+ (DEBUG|INFO|WARNING)\b/;

/**
 * e.g. `exit code 1: ModuleNotFoundError: No module named 'httpx'`. The last
 * stderr line that is not a routine log line explains an exit; a signal came
 * from outside, so what the agent last logged says nothing about it.
 */
export function describeExit(exit: ExitInfo | undefined, stderrTail: string[]): string {
  if (exit?.signal) return `killed by ${exit.signal}`;
  const how = exit ? `exit code ${exit.code ?? "unknown"}` : "connection closed";
  const reason = [...stderrTail]
    .reverse()
    .map((line) => line.trim())
    .find((line) => line !== "" && !ROUTINE_LOG_LINE.test(line));
  if (!reason) return how;
  const clipped = reason.length > 300 ? `${reason.slice(0, 297)}...` : reason;
  return `${how}: ${clipped}`;
}
