// The agent's stderr log, line by line, into the output channel at each line's
// own level. The agent writes only what `initializationOptions.logLevel` lets
// through (`issuebridge.agent.logLevel`), so the setting decides what appears.
// Its own records at info and above also arrive as `window/logMessage` (which
// vscode-languageclient writes to the channel): those stay at trace here, so no
// line shows twice. Pure, so unit-tested.

export type ChannelLevel = "trace" | "debug" | "info" | "warn" | "error";

export interface LogLine {
  level: ChannelLevel;
  text: string;
}

/** `2024-03-05 14:22:01,123 DEBUG issuebridge.rpc: Ignoring notification x` */
const RECORD = /^\d{4}-\d\d-\d\d[ T][\d:.,]+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) (\S+?): (.*)$/;

const LEVELS: Record<string, ChannelLevel> = {
  DEBUG: "debug",
  INFO: "info",
  WARNING: "warn",
  ERROR: "error",
  CRITICAL: "error",
};

export class AgentLogRouter {
  private partial = "";
  /** A traceback's lines follow the record they belong to. */
  private continuation: ChannelLevel = "info";

  /** Whole lines of a chunk of stderr; a trailing partial line waits for the next chunk. */
  push(chunk: string): LogLine[] {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? "";
    return parts.filter((line) => line.trim() !== "").map((line) => this.route(line));
  }

  private route(line: string): LogLine {
    const record = RECORD.exec(line);
    if (!record) return { level: this.continuation, text: line };
    const [, levelName = "INFO", logger = "", message = ""] = record;
    const level = LEVELS[levelName] ?? "info";
    this.continuation = level;
    const forwarded = (logger === "issuebridge" || logger.startsWith("issuebridge.")) && level !== "debug";
    return { level: forwarded ? "trace" : level, text: `${logger}: ${message}` };
  }
}

/** vscode.LogLevel's numbers (Off 0, Trace 1, Debug 2, Info 3, Warning 4, Error 5). */
const RANK: Record<ChannelLevel, number> = { trace: 1, debug: 2, info: 3, warn: 4, error: 5 };

/**
 * Where a debug line goes when the channel itself is set above debug (its
 * default is info): the user asked for debug lines in the setting, so they are
 * written at info, marked as debug.
 */
export function visibleLine(line: LogLine, channelLevel: number): LogLine {
  if (line.level === "debug" && channelLevel > RANK.debug) return { level: "info", text: `[debug] ${line.text}` };
  return line;
}
