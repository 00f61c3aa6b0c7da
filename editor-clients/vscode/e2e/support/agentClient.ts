// A minimal JSON-RPC client for the agent, used by the test itself: to learn
// the exact error message the panel must show, and whether the agent has
// landed a method yet (a pending part of the test is skipped until it has).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

interface RpcError {
  code: number;
  message: string;
  data?: { kind?: string };
}

export class AgentClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly waiting = new Map<number, (message: { result?: unknown; error?: RpcError }) => void>();
  private readonly home = mkdtempSync(path.join(os.tmpdir(), "ib-e2e-agent-"));
  private readonly child;

  constructor(python: string) {
    this.child = spawn(python, ["-m", "agent", "--stdio"], {
      env: { ...process.env, ISSUEBRIDGE_HOME: this.home },
      stdio: ["pipe", "pipe", "ignore"],
    });
    this.child.stdout.on("data", (chunk: Buffer) => this.onData(chunk));
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: *(\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8"));
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      if (typeof body.id === "number" && ("result" in body || "error" in body)) {
        this.waiting.get(body.id)?.(body);
        this.waiting.delete(body.id);
      }
    }
  }

  private write(message: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  request(method: string, params: object): Promise<{ result?: unknown; error?: RpcError }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer`)), 30_000);
      this.waiting.set(id, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
      this.write({ id, method, params });
    });
  }

  async initialize(): Promise<void> {
    await this.request("initialize", { processId: process.pid, capabilities: {}, rootUri: null });
    this.write({ method: "initialized", params: {} });
  }

  async close(): Promise<void> {
    await this.request("shutdown", {}).catch(() => undefined);
    this.write({ method: "exit" });
    this.child.stdin.end();
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (this.child.exitCode === null) this.child.kill();
    rmSync(this.home, { recursive: true, force: true });
  }
}
