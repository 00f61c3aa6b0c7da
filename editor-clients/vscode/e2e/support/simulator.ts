// The Jira simulator (simulators/jira_server) on loopback, and the bits of its
// admin API the test uses.
import { createInterface } from "node:readline";
import path from "node:path";
import { start, type Managed } from "./processes";

export interface SimUser {
  name: string;
  displayName: string;
  password: string;
  pat: string;
}

export class Simulator {
  private constructor(
    readonly baseUrl: string,
    private readonly process: Managed,
  ) {}

  static async start(python: string, logDir: string, name: string): Promise<Simulator> {
    const managed = start(name, python, ["-m", "simulators", "jira-server", "--port", "0", "--cap", "50"], {
      logFile: path.join(logDir, `${name}.log`),
      env: { ...process.env, PYTHONUNBUFFERED: "1" },
    });
    const stdout = managed.child.stdout;
    if (!stdout) throw new Error("simulator has no stdout");
    const baseUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("simulator did not print its URL")), 30_000);
      const lines = createInterface({ input: stdout });
      lines.once("line", (line) => {
        clearTimeout(timer);
        resolve(line.trim());
      });
      managed.child.once("exit", (code) => reject(new Error(`simulator exited with ${code}`)));
    });
    if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(baseUrl)) throw new Error(`unexpected simulator URL ${baseUrl}`);
    return new Simulator(baseUrl, managed);
  }

  async admin<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/_sim/${route}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} _sim/${route}: ${response.status}`);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async user(name: string): Promise<SimUser> {
    const users = await this.admin<SimUser[]>("GET", "users");
    const user = users.find((u) => u.name === name);
    if (!user) throw new Error(`no simulator user ${name}`);
    return user;
  }

  /** A search as `user`, straight against the simulator: the test's expectation. */
  async search(pat: string, jql: string, maxResults = 1): Promise<{ total: number; keys: string[] }> {
    const url = new URL(`${this.baseUrl}/rest/api/2/search`);
    url.searchParams.set("jql", jql);
    url.searchParams.set("maxResults", String(maxResults));
    url.searchParams.set("fields", "summary");
    const response = await fetch(url, { headers: { Authorization: `Bearer ${pat}` } });
    const body = (await response.json()) as { total: number; issues: { key: string }[] };
    return { total: body.total, keys: body.issues.map((issue) => issue.key) };
  }

  /** One issue's fields as Jira answers them to `user`. */
  async issue(pat: string, key: string, fields: string): Promise<Record<string, unknown>> {
    const url = new URL(`${this.baseUrl}/rest/api/2/issue/${encodeURIComponent(key)}`);
    url.searchParams.set("fields", fields);
    const response = await fetch(url, { headers: { Authorization: `Bearer ${pat}` } });
    if (!response.ok) throw new Error(`GET issue/${key}: ${response.status}`);
    return ((await response.json()) as { fields: Record<string, unknown> }).fields;
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}
