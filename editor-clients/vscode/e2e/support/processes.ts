// Child processes of the end-to-end test: each in its own process group (so a
// server's helpers die with it), output kept in a log file for post-mortems.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { appendFileSync, createWriteStream, readdirSync, readFileSync } from "node:fs";
import net from "node:net";

export interface Managed {
  child: ChildProcess;
  name: string;
  stop(): Promise<void>;
}

const running = new Set<Managed>();

export function start(name: string, command: string, args: string[], options: SpawnOptions & { logFile: string }): Managed {
  const log = createWriteStream(options.logFile, { flags: "a" });
  const child = spawn(command, args, { ...options, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  if (child.pid !== undefined) recordGroup(child.pid);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const managed: Managed = {
    child,
    name,
    async stop() {
      running.delete(managed);
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      signalGroup(child.pid, "SIGTERM");
      const timedOut = await Promise.race([exited.then(() => false), sleep(5000).then(() => true)]);
      if (timedOut) signalGroup(child.pid, "SIGKILL");
      // The group may outlive its leader (code-server's file watcher): sweep it.
      signalGroup(child.pid, "SIGKILL");
    },
  };
  running.add(managed);
  return managed;
}

/**
 * Appends a process group id to $E2E_PGID_FILE, so that ci.sh can still end
 * every group if this test process itself is killed (timeout) before cleanup.
 */
export function recordGroup(pgid: number): void {
  const file = process.env.E2E_PGID_FILE;
  if (file) appendFileSync(file, `${pgid}\n`);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((managed) => managed.stop()));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls until `check` resolves true, or throws after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/**
 * Pids in process group `pgid` whose command line contains `needle`: how the
 * test finds the agent the extension started inside code-server's group,
 * without touching any other process on the machine.
 */
export function pidsInGroup(pgid: number, needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the parenthesised command name: state ppid pgrp …
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
      if (cmdline.includes(needle)) found.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return found;
}
