// End to end: the packaged extension in a real VS Code (code-server), driven by
// Playwright in headless Chromium, against the Jira simulator. Run by ci.sh;
// needs ISSUEBRIDGE_PYTHON (a Python with issuebridge installed) and
// CODE_SERVER_BIN. Screenshots go to $SCREENSHOT_DIR (ci.sh: .e2e/screenshots, gitignored;
// docs/images/ holds the copies the README shows).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, watch, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, afterEach, before, describe, test } from "node:test";
import { chromium, type Browser, type BrowserContext, type BrowserServer, type Locator, type Page } from "playwright-core";
import { AgentClient } from "./support/agentClient";
import { CodeServer, installExtension, isolatedEnv, makeDirs, writeSettings, type CodeServerDirs } from "./support/codeServer";
import { freePort, pidsInGroup, recordGroup, stopAll } from "./support/processes";
import { Simulator, type SimUser } from "./support/simulator";
import {
  dialogButton,
  editorLine,
  foldInstances,
  integrationsPanel,
  notification,
  openFile,
  openWorkbench,
  runCommand,
  showIssuesView,
  statusBarItem,
  treeRow,
  visibleWebview,
  waitForStoredWorkspaceState,
} from "./support/workbench";

const python = requiredEnv("ISSUEBRIDGE_PYTHON");
const codeServerBin = requiredEnv("CODE_SERVER_BIN");
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const vsix = path.resolve(process.env.VSIX ?? "out/issuebridge.vsix");
const screenshots = path.resolve(process.env.SCREENSHOT_DIR ?? "screenshots");
const workRoot = process.env.E2E_WORK_DIR ?? mkdtempSync(path.join(os.tmpdir(), "ib-vscode-e2e-"));
/**
 * "bundled": the .vsix carries the agent (bundled/libs) and the extension must
 * find a Python by itself, as for a user with no settings. "setting" (default):
 * the agent runs on ISSUEBRIDGE_PYTHON through `issuebridge.agent.pythonPath`.
 */
const agentMode = process.env.E2E_AGENT === "bundled" ? "bundled" : "setting";

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set (ci.sh sets it)`);
  return value;
}

/**
 * Presses Authorize on an instance's card and returns the page VS Code opens
 * (window/showDocument), logged in as alice. VS Code may ask before opening an
 * external site, or offer the link when the browser blocked the pop-up: a
 * person clicks Open.
 */
// Each step's bound: a step that hangs (a Playwright call without a timeout of its
// own) fails with its screenshot instead of stopping the whole run at ci.sh's limit.
const STEP = { timeout: 180_000 };

async function authorizeInBrowser(card: Locator): Promise<Page> {
  const popup = context.waitForEvent("page", { timeout: 60_000 });
  await card.getByRole("button", { name: "Authorize", exact: true }).click();
  const openButton = page.locator(".monaco-dialog-box button", { hasText: /^Open$/ });
  const authorizePage = await Promise.race([
    popup,
    openButton.waitFor({ timeout: 60_000 }).then(async () => {
      await openButton.click();
      return popup;
    }),
  ]);
  await authorizePage.waitForLoadState();
  if (await authorizePage.locator("#login-form-username").isVisible().catch(() => false)) {
    await authorizePage.locator("#login-form-username").fill("alice");
    await authorizePage.locator("#login-form-password").fill(alice.password);
    await authorizePage.locator("#login-form-submit").click();
    // Jira's login answers with the authorize page: handed over (or closed) only once loaded.
    await authorizePage.waitForLoadState();
  }
  return authorizePage;
}

/** `file`'s text once `done` accepts it: read now and on every change in its folder (a save may replace the file). */
function waitForFile(file: string, done: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const read = (): string => {
      try {
        return readFileSync(file, "utf8");
      } catch {
        return "";
      }
    };
    const watcher = watch(path.dirname(file), () => check());
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`${file} never had the expected text; it has: ${JSON.stringify(read())}`));
    }, timeoutMs);
    function check(): void {
      const text = read();
      if (!done(text)) return;
      clearTimeout(timer);
      watcher.close();
      resolve(text);
    }
    check();
  });
}

/** Files named `name` under `dir`, at any depth. */
function findFiles(dir: string, name: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((entry) => path.basename(entry) === name)
    .map((entry) => path.join(dir, entry));
}

const UNRESOLVED_MINE = "assignee = currentUser() AND resolution = Unresolved";
/** The comment the issue-key steps make an issue of, in the workspace's keys.py. */
const KEYS_TODO = "tidy the e2e key file";
function keysFile(): string {
  return path.join(dirs.workspace, "keys.py");
}
const BRANCH_TEMPLATE = "feature/{key}-{summary}";

/** git in the e2e workspace (a repository with one commit, made in `before`). */
function git(...args: string[]): string {
  return execFileSync("git", ["-C", dirs.workspace, ...args], { encoding: "utf8" }).trim();
}

/** Sets (or, with "", clears) the one instance's filter (JQL for Jira), as a person does. */
async function setJqlFilter(jql: string): Promise<void> {
  await runCommand(page, "issuebridge: Filter Issues…");
  const input = page.locator(".quick-input-widget input");
  await input.fill(jql);
  await page.keyboard.press("Enter");
}

/** Picks `label` in the quick pick that is open, once `waitFor` (an item only it has) is listed. */
async function pickInQuickPick(waitFor: string, label: string): Promise<void> {
  const rows = page.locator(".quick-input-widget .quick-input-list .monaco-list-row");
  await rows.filter({ hasText: waitFor }).first().waitFor({ timeout: 30_000 });
  await page.locator(".quick-input-widget input").fill(label);
  await rows.filter({ hasText: label }).first().waitFor();
  await page.keyboard.press("Enter");
}

/** Waits until the editor tab on screen is the one titled `title`. */
async function activeTab(title: string | RegExp): Promise<void> {
  await page.locator(".tabs-container .tab.active", { hasText: title }).waitFor({ timeout: 30_000 });
}

let dirs: CodeServerDirs;
let sim: Simulator;
let oauthSim: Simulator | undefined;
let alice: SimUser;
let server: CodeServer;
let chromiumServer: BrowserServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The issue the detail and Start Work steps work on. */
let workKey: string | undefined;
/** What the agent itself answers to a wrong token: the panel must show exactly this. */
let wrongTokenError: { message: string; hint?: string };

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, name) });
}

describe("issuebridge in VS Code (code-server + Chromium + Jira simulator)", { timeout: 10 * 60_000 }, () => {
  before(async () => {
    mkdirSync(screenshots, { recursive: true });
    dirs = makeDirs(workRoot);
    // The workspace is a git repository with a commit: Start Work makes its branch there.
    writeFileSync(path.join(dirs.workspace, "README.md"), "# e2e workspace\n");
    git("init", "-q", "-b", "main");
    git("add", "README.md");
    git("-c", "user.name=issuebridge e2e", "-c", "user.email=e2e@example.invalid", "commit", "-q", "-m", "Initial commit");
    sim = await Simulator.start(python, dirs.logs, "jira-sim");
    alice = await sim.user("alice");

    const agent = new AgentClient(python);
    try {
      await agent.initialize();
      const answer = await agent.request("issuebridge/providers/configure", {
        providerId: "jira-server",
        authMethod: "token",
        fields: { baseUrl: sim.baseUrl, token: "not-a-valid-token" },
      });
      assert.ok(answer.error, "the agent accepted a wrong token");
      const data = answer.error.data as { hint?: string } | undefined;
      wrongTokenError = { message: answer.error.message, ...(data?.hint ? { hint: data.hint } : {}) };
    } finally {
      await agent.close();
    }

    writeSettings(dirs, {
      ...(agentMode === "setting" ? { "issuebridge.agent.pythonPath": python } : {}),
      "issuebridge.storageDir": path.join(dirs.root, "agent-storage"),
      "issuebridge.agent.logLevel": "debug",
      "issuebridge.issues.branchTemplate": BRANCH_TEMPLATE,
      "git.autofetch": false,
    });
    await installExtension(codeServerBin, dirs, vsix);
    server = await CodeServer.start(codeServerBin, dirs);
    // launchServer (not launch) to learn Chromium's pid: Playwright starts it in
    // a process group of its own, which ci.sh must be able to end.
    chromiumServer = await chromium.launchServer({
      executablePath: chromiumPath,
      headless: true,
      env: isolatedEnv(dirs),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    const browserPid = chromiumServer.process().pid;
    if (browserPid) recordGroup(browserPid);
    browser = await chromium.connect(chromiumServer.wsEndpoint());
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    page = await context.newPage();
    await openWorkbench(page, server.url, dirs.workspace);
  });

  afterEach(async (t) => {
    // A picture of the failure, beside the logs of the run.
    if (page && (t as { passed?: boolean }).passed === false) {
      const name = t.name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
      await page.screenshot({ path: path.join(dirs.logs, `failed-${name}.png`) }).catch(() => undefined);
    }
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await chromiumServer?.close().catch(() => undefined);
    await server?.stop();
    await oauthSim?.stop();
    await sim?.stop();
    await stopAll();
  });

  test("the extension activates, starts the agent and shows its state", STEP, async () => {
    await statusBarItem(page, "issuebridge: not connected").waitFor({ timeout: 90_000 });
    // python3 may be a shim (pyenv) that execs the interpreter: let it settle.
    let agents: number[] = [];
    for (let i = 0; i < 40 && agents.length !== 1; i++) {
      agents = pidsInGroup(server.processGroup, "-m agent --stdio");
      if (agents.length !== 1) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const [agentPid, ...others] = agents;
    assert.ok(agentPid !== undefined && others.length === 0, `exactly one agent process, found ${JSON.stringify(agents)}`);
    const environ = readFileSync(`/proc/${agentPid}/environ`, "utf8").split("\0");
    const pythonPath = environ.find((v) => v.startsWith("PYTHONPATH="));
    if (agentMode === "bundled") {
      assert.match(pythonPath ?? "", /issuebridge\.issuebridge-[^/]+\/bundled\/libs/, "the bundled agent is used");
    } else {
      assert.ok(readFileSync(`/proc/${agentPid}/cmdline`, "utf8").startsWith(`${python}\0`));
    }
  });

  test("the Integrations panel renders the agent's providers and forms", STEP, async () => {
    await runCommand(page, "issuebridge: Open Integrations");
    const panel = integrationsPanel(page);
    await panel.getByRole("heading", { name: "Jira Server / Data Center", level: 2 }).waitFor({ timeout: 30_000 });
    await panel.getByText("Agent running").waitFor();
    // Both auth methods, as the agent describes them.
    await panel.getByRole("radio", { name: /Personal access token/ }).waitFor();
    await panel.getByRole("radio", { name: /OAuth 1\.0a/ }).waitFor();
    assert.equal(await panel.getByLabel("Personal access token", { exact: false }).last().getAttribute("type"), "password");
    // No OS keyring (ISSUEBRIDGE_SECRET_STORE=file): said once, with the file, until dismissed.
    const note = panel.locator(".storage-note");
    await note.getByText("only your user account can read (mode 0600)").waitFor({ timeout: 30_000 });
    assert.match((await note.locator("code").textContent()) ?? "", /agent-storage\/.*secrets/);
    await shot("integrations-secret-file-note.png");
    await note.getByRole("button", { name: "Got it" }).click();
    await note.waitFor({ state: "hidden" });
  });

  test("the Integrations panel lists every provider the agent has, each with its own form", STEP, async () => {
    // What the agent describes, asked by the test itself with the extension's Python.
    const described = new AgentClient(python);
    let providers: { id: string; name: string; authMethods: { id: string; label: string; fields: { name: string }[] }[] }[] = [];
    try {
      await described.initialize();
      const listed = (await described.request("issuebridge/providers/list", {})).result as { providers: typeof providers };
      providers = listed.providers;
    } finally {
      await described.close();
    }
    for (const id of ["jira-server", "jira-cloud", "github", "gitlab", "youtrack"]) {
      assert.ok(providers.some((p) => p.id === id), `the agent offers ${id}`);
    }
    await runCommand(page, "issuebridge: Open Integrations");
    const panel = integrationsPanel(page);
    // One form at a time: the first provider's is open, each other's behind its button.
    const first = providers[0]!;
    await panel.locator(`[data-provider-id="${first.id}"]`).getByRole("heading", { name: `Connect to ${first.name}` }).waitFor({ timeout: 30_000 });
    for (const provider of providers) {
      const section = panel.locator(`[data-provider-id="${provider.id}"]`);
      await section.getByRole("heading", { name: provider.name, level: 2 }).waitFor({ timeout: 30_000 });
      if (provider !== first) {
        await section.getByRole("button", { name: `Connect to ${provider.name}…` }).click();
      }
      await section.getByRole("heading", { name: `Connect to ${provider.name}` }).waitFor({ timeout: 30_000 });
      assert.equal(await panel.locator("form.config-form").count(), 1, "only the chosen provider's form is on the page");
      // Its first method's form, rendered from the agent's fields alone.
      const method = provider.authMethods[0]!;
      const radio = section.getByRole("radio", { name: new RegExp(method.label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) });
      if (await radio.count()) await radio.first().check();
      for (const field of method.fields) {
        await section.locator(`[name="${field.name}"]`).first().waitFor({ timeout: 30_000 });
      }
    }
    await panel.locator(`[data-provider-id="${first.id}"]`).evaluate((el) => el.scrollIntoView({ block: "start" }));
    await shot("integrations-providers.png");
    // Back to the first provider's form, where the next steps connect.
    await panel.locator(`[data-provider-id="${first.id}"]`).getByRole("button", { name: `Connect to ${first.name}…` }).click();
    await panel.getByRole("heading", { name: `Connect to ${first.name}` }).waitFor();
  });

  test("a wrong token shows the agent's error message once, beside the token", STEP, async () => {
    const panel = integrationsPanel(page);
    await panel.getByLabel("Jira base URL").fill(sim.baseUrl);
    const token = panel.locator('input[name="token"]');
    await token.fill("not-a-valid-token");
    await panel.getByRole("button", { name: "Connect", exact: true }).click();
    const place = panel.locator('.field[data-field="token"] .field-error');
    const error = place.locator(".error");
    await error.waitFor({ timeout: 30_000 });
    assert.equal((await error.textContent())?.trim(), wrongTokenError.message);
    if (wrongTokenError.hint && !wrongTokenError.message.includes(wrongTokenError.hint)) {
      assert.equal((await place.locator(".hint").textContent())?.trim(), wrongTokenError.hint);
    }
    assert.equal(await panel.getByText(wrongTokenError.message, { exact: true }).count(), 1, "the message is shown once");
    assert.equal(await token.getAttribute("aria-invalid"), "true");
    assert.equal(await token.inputValue(), "not-a-valid-token", "what was typed stays after a refused Connect");
    await shot("integrations-error.png");
  });

  test("a URL typo marks the URL and keeps the pasted token", STEP, async () => {
    const panel = integrationsPanel(page);
    const url = panel.locator('input[name="baseUrl"]');
    const token = panel.locator('input[name="token"]');
    await url.fill(`${sim.baseUrl}x`); // the context path misspelt: Jira's 404
    await token.fill(alice.pat);
    await panel.getByRole("button", { name: "Connect", exact: true }).click();
    await panel.locator('.field[data-field="baseUrl"] .field-error .error').waitFor({ timeout: 30_000 });
    assert.equal(await url.getAttribute("aria-invalid"), "true");
    assert.equal(await token.getAttribute("aria-invalid"), null, "the token's old error is gone");
    assert.equal(await token.inputValue(), alice.pat, "the pasted token survives the typo");
  });

  test("configuring Jira Server with a token connects", STEP, async () => {
    const panel = integrationsPanel(page);
    await panel.getByLabel("Jira base URL").fill(sim.baseUrl);
    await panel.locator('input[name="token"]').fill(alice.pat);
    await panel.getByRole("button", { name: "Connect", exact: true }).click();
    await panel.locator(".form-status .success", { hasText: `as ${alice.displayName}` }).waitFor({ timeout: 30_000 });
    const card = panel.locator(`article[aria-label="${sim.baseUrl}"]`);
    await card.locator(".badge", { hasText: "Connected" }).waitFor();
    assert.equal(await panel.locator('input[name="token"]').inputValue(), "");
    await statusBarItem(page, "issuebridge: 1 connected").waitFor({ timeout: 15_000 });
    await shot("integrations-panel.png");
  });

  test("the Issues view shows the seeded issues grouped by status category", STEP, async () => {
    const all = await sim.search(alice.pat, UNRESOLVED_MINE);
    const inProgress = await sim.search(alice.pat, `${UNRESOLVED_MINE} AND statusCategory = indeterminate ORDER BY updated DESC`);
    const todo = await sim.search(alice.pat, `${UNRESOLVED_MINE} AND statusCategory = new`);
    assert.ok(all.total > 100, "the simulator seeds many issues for alice");

    const view = await showIssuesView(page);
    const host = sim.baseUrl.replace(/^http:\/\//, "");
    await treeRow(view, host).filter({ hasText: `${all.total} issues` }).waitFor({ timeout: 60_000 });
    const inProgressRow = treeRow(view, `In Progress (${inProgress.total})`);
    await inProgressRow.waitFor();
    // Newest update first inside a group.
    const newest = inProgress.keys[0];
    assert.ok(newest);
    await treeRow(view, new RegExp(`^${newest}\\b`)).first().waitFor();
    await shot("issues-view.png");
    // The list is virtual: fold In Progress to bring To Do into view.
    await inProgressRow.click();
    await treeRow(view, `To Do (${todo.total})`).waitFor();
    await inProgressRow.click();
  });

  test("the Advanced section gives one server its own timeout and, confirmed, no TLS verification", STEP, async () => {
    // Its own simulator, forgotten at the end: the other steps see one instance.
    const third = await Simulator.start(python, dirs.logs, "jira-sim-advanced");
    try {
      const bob = await third.user("bob");
      await runCommand(page, "issuebridge: Open Integrations");
      const panel = integrationsPanel(page);
      await panel.getByRole("radio", { name: /Personal access token/ }).check();
      await panel.locator('input[name="baseUrl"]').fill(third.baseUrl);
      await panel.locator('input[name="token"]').fill(bob.pat);
      await panel.locator("details.advanced > summary", { hasText: "Advanced" }).click();
      await panel.getByLabel("Timeout (seconds)").fill("20");
      await panel.getByLabel("Skip TLS verification (insecure)").check();
      await panel.getByRole("button", { name: "Connect", exact: true }).click();
      // VS Code asks first, in a modal; declined, nothing is sent and the form keeps its values.
      await page.locator(".monaco-dialog-box", { hasText: "Turn TLS verification off for" }).waitFor({ timeout: 30_000 });
      await dialogButton(page, "Cancel").click();
      await panel.locator(".form-status", { hasText: "TLS verification was not turned off" }).waitFor({ timeout: 15_000 });
      assert.equal(await panel.locator('input[name="token"]').inputValue(), bob.pat);
      assert.equal(await panel.getByLabel("Timeout (seconds)").inputValue(), "20");
      await panel.getByRole("button", { name: "Connect", exact: true }).click();
      await dialogButton(page, "Turn Off Verification").click();
      await panel.locator(".form-status .success", { hasText: `as ${bob.displayName}` }).waitFor({ timeout: 30_000 });
      // The secrets and settings went with the form.
      assert.equal(await panel.getByLabel("Timeout (seconds)").inputValue(), "");
      assert.equal(await panel.getByLabel("Skip TLS verification (insecure)").isChecked(), false);

      // The agent keeps the instance's own settings, and marks it insecure everywhere.
      const config = JSON.parse(readFileSync(path.join(dirs.root, "agent-storage", "config.json"), "utf8")) as {
        instances: Record<string, { base_url: string; http?: unknown }>;
      };
      const stored = Object.values(config.instances).find((instance) => instance.base_url === third.baseUrl);
      assert.deepEqual(stored?.http, { timeoutSeconds: 20, insecureSkipVerify: true });
      const card = panel.locator(`article[aria-label="${third.baseUrl}"]`);
      await card.locator(".badge.insecure", { hasText: "TLS verification off" }).waitFor({ timeout: 15_000 });
      await shot("integrations-insecure.png");
      const view = await showIssuesView(page);
      const host = third.baseUrl.replace(/^http:\/\//, "");
      // The list is virtual and instances come in no fixed order: fold them all so
      // that this one is on screen, whatever is listed above it.
      await foldInstances(view);
      await treeRow(view, host).filter({ hasText: "⚠ TLS verification off" }).waitFor({ timeout: 30_000 });

      await runCommand(page, "issuebridge: Open Integrations");
      await card.getByRole("button", { name: "Forget", exact: true }).click();
      await dialogButton(page, "Forget").click();
      await card.waitFor({ state: "detached", timeout: 30_000 });
      await statusBarItem(page, "issuebridge: 1 connected").waitFor({ timeout: 15_000 });
      // Unfold the token instance again, as the tests that follow expect it.
      await showIssuesView(page);
      const tokenHost = sim.baseUrl.replace(/^http:\/\//, "");
      await view.locator('.monaco-list-row[aria-level="1"][aria-expanded="false"]', { hasText: tokenHost }).first().click();
      await view.locator('.monaco-list-row[aria-level="1"][aria-expanded="true"]', { hasText: tokenHost }).first().waitFor();
    } finally {
      await third.stop();
    }
  });

  test("the agent's debug lines reach the output channel at logLevel debug", STEP, async () => {
    // The channel's log file (user-data/logs/…/exthost1/issuebridge.issuebridge/issuebridge.log).
    const logs = findFiles(path.join(dirs.userData, "logs"), "issuebridge.log");
    assert.ok(logs.length > 0, "the output channel has a log file");
    const text = logs.map((file) => readFileSync(file, "utf8")).join("\n");
    assert.match(text, /\[debug\] issuebridge[.\w]*: GET \S+ -> 200/, "a debug line of the agent (an HTTP request)");
  });

  test("a filter (JQL for Jira) per instance narrows the view and can be cleared", STEP, async () => {
    const view = await showIssuesView(page);
    const target = (await sim.search(alice.pat, `${UNRESOLVED_MINE} ORDER BY updated DESC`)).keys[0];
    assert.ok(target);
    await runCommand(page, "issuebridge: Filter Issues…");
    const input = page.locator(".quick-input-widget input");
    await input.fill(`key = ${target}`);
    await page.keyboard.press("Enter");
    await treeRow(view, `1 issue · query: key = ${target}`).waitFor({ timeout: 30_000 });
    await treeRow(view, new RegExp(`^${target}\\b`)).first().waitFor();
    await runCommand(page, "issuebridge: Filter Issues…");
    await input.fill("");
    await page.keyboard.press("Enter");
    await treeRow(view, /\d{3} issues$/).waitFor({ timeout: 30_000 });
  });

  test("an issue's details: clicked in the Issues view, its text shown as text, a comment added", STEP, async () => {
    const key = (await sim.search(alice.pat, `${UNRESOLVED_MINE} AND statusCategory = new ORDER BY updated DESC`)).keys[0];
    assert.ok(key, "alice has an issue to do");
    workKey = key;
    const fields = await sim.issue(alice.pat, key, "summary,status");
    const view = await showIssuesView(page);
    // One row in the (virtual) list: the filter brings the issue into view wherever it sorts.
    await setJqlFilter(`key = ${key}`);
    const row = treeRow(view, new RegExp(`^${key}\\b`)).first();
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    await activeTab(key);
    const detail = visibleWebview(page);
    await detail.getByRole("heading", { level: 1, name: String(fields.summary) }).waitFor({ timeout: 30_000 });
    assert.equal(await detail.locator('[data-field="key"]').textContent(), key);
    assert.equal(await detail.locator('dd[data-field="status"]').textContent(), (fields.status as { name: string }).name);
    assert.equal(await detail.locator('dd[data-field="assignee"]').textContent(), alice.displayName);

    // A comment with markup in it: read back from Jira and shown as the text it is.
    const body = "Looked at it from VS Code: <b>not bold</b> & <img src=x>";
    await detail.getByLabel("Add a comment").fill(body);
    await detail.getByRole("button", { name: "Add Comment", exact: true }).click();
    const comment = detail.locator(".comment .plain-text", { hasText: "Looked at it from VS Code" });
    await comment.waitFor({ timeout: 30_000 });
    assert.equal(await comment.textContent(), body);
    assert.equal(await detail.locator(".comment b, .comment img").count(), 0, "nothing from Jira becomes markup");
    assert.equal(await detail.getByLabel("Add a comment").inputValue(), "", "the box is emptied once the comment is in");
  });

  test("Start Work in the detail view: asked first (uncommitted changes), then on the new branch in the workspace's repository", STEP, async () => {
    const key = workKey;
    assert.ok(key);
    const detail = visibleWebview(page);
    const statusBefore = (await detail.locator('dd[data-field="status"]').textContent()) ?? "";
    assert.equal(git("branch", "--show-current"), "main");
    writeFileSync(path.join(dirs.workspace, "README.md"), "# e2e workspace\nwork in progress\n"); // uncommitted

    await detail.getByRole("button", { name: "Start Work", exact: true }).click();
    const dialog = page.locator(".monaco-dialog-box", { hasText: "Uncommitted changes in workspace" });
    await dialog.waitFor({ timeout: 60_000 });
    await shot("start-work-uncommitted.png");
    await dialogButton(page, "Switch").click();
    const done = notification(page, /on branch feature\//).first();
    await done.waitFor({ timeout: 60_000 });
    const branch = git("branch", "--show-current");
    assert.match(branch, new RegExp(`^feature/${key}-`, "i"), "the branch follows issuebridge.issues.branchTemplate");
    assert.ok(((await done.textContent()) ?? "").includes(branch), "the notification names the branch git is on");
    assert.match(git("status", "--porcelain"), /README\.md/, "the uncommitted change went along");

    // The agent moved the issue to in progress; the view shows the issue as read again.
    await detail.locator('dd[data-field="status"]').filter({ hasNotText: statusBefore }).waitFor({ timeout: 30_000 });
    const after = await sim.issue(alice.pat, key, "status,assignee");
    assert.equal((after.status as { statusCategory: { key: string } }).statusCategory.key, "indeterminate");
    assert.equal((after.assignee as { name: string }).name, alice.name);
    await detail.locator("h1").scrollIntoViewIfNeeded(); // the picture starts at the title
    await shot("issue-detail.png");
  });

  test("the detail view's actions: assign by searching, Assign to me, a transition with a comment", STEP, async () => {
    const key = workKey;
    assert.ok(key);
    const detail = visibleWebview(page);
    const assignee = detail.locator('dd[data-field="assignee"]');
    // The names typed go to Jira's assignable-user search; a click assigns.
    await detail.getByLabel("Assign to someone else").fill("bob");
    const bob = detail.locator(".user-results button", { hasText: "(bob)" });
    await bob.waitFor({ timeout: 30_000 });
    await bob.click();
    await assignee.filter({ hasNotText: alice.displayName }).waitFor({ timeout: 30_000 });
    assert.equal(((await sim.issue(alice.pat, key, "assignee")).assignee as { name: string }).name, "bob");
    await detail.getByRole("button", { name: "Assign to me", exact: true }).click();
    await assignee.filter({ hasText: alice.displayName }).waitFor({ timeout: 30_000 });

    // Back to To Do, saying why: the comment goes with the transition.
    await detail.getByLabel("Comment with the transition (optional)").fill("Back to the queue");
    await detail.getByRole("button", { name: /→ To Do$/ }).click();
    await detail.locator('dd[data-field="status"]', { hasText: "To Do" }).waitFor({ timeout: 30_000 });
    await detail.locator(".comment .plain-text", { hasText: "Back to the queue" }).waitFor();
    const after = await sim.issue(alice.pat, key, "status");
    assert.equal((after.status as { statusCategory: { key: string } }).statusCategory.key, "new");
  });

  test("Create Issue: the Bug form with its required Severity, Jira's error beside its field, then created and opened", STEP, async () => {
    await runCommand(page, "issuebridge: Create Issue…");
    await pickInQuickPick("IssueBridge", "ISB");
    await pickInQuickPick("Improvement", "Bug");
    await activeTab("New Bug in ISB");
    const form = visibleWebview(page);
    const severity = form.locator('.field[data-field="customfield_10010"]');
    await severity.waitFor({ timeout: 30_000 });
    assert.equal(await severity.locator(".required").count(), 1, "Severity is marked required");
    const select = severity.locator("select");
    const options = await select.locator("option").allTextContents();
    assert.ok(options.length >= 3, `Severity offers Jira's allowed values: ${JSON.stringify(options)}`);

    const summary = "Created from VS Code";
    const description = "<b>not bold</b> & <script>alert(1)</script>";
    await form.locator("#field-summary").fill(summary);
    await form.locator("#field-description").fill(description);
    // Without Severity: refused in the form, before anything is sent.
    await form.getByRole("button", { name: "Create", exact: true }).click();
    await severity.locator(".field-error", { hasText: "Severity is required." }).waitFor();

    // An assignee Jira does not know: Jira's own words, beside the field.
    await select.selectOption({ index: 1 });
    const severityId = await select.inputValue();
    await form.locator("#field-assignee").fill("nobody-here");
    await form.getByRole("button", { name: "Create", exact: true }).click();
    const assigneeError = form.locator('.field[data-field="assignee"] .field-error .error');
    await assigneeError.waitFor({ timeout: 30_000 });
    assert.match((await assigneeError.textContent()) ?? "", /nobody-here/);
    assert.equal(await severity.locator(".field-error").isVisible(), false, "Severity's old error is gone");
    await shot("create-issue-form.png");

    await form.locator("#field-assignee").fill("");
    await form.getByRole("button", { name: "Create", exact: true }).click();
    const created = form.locator('[data-field="created-key"]');
    await created.waitFor({ timeout: 30_000 });
    const newKey = ((await created.textContent()) ?? "").trim();
    assert.match(newKey, /^ISB-\d+$/);
    const stored = await sim.issue(alice.pat, newKey, "summary,description,customfield_10010");
    assert.equal(stored.summary, summary);
    assert.equal(stored.description, description);
    assert.equal((stored.customfield_10010 as { id: string }).id, severityId);

    // Open: the new issue's details, its description as the text it is.
    await form.getByRole("button", { name: "Open", exact: true }).click();
    await activeTab(newKey);
    const detail = visibleWebview(page);
    await detail.getByRole("heading", { level: 1, name: summary }).waitFor({ timeout: 30_000 });
    assert.equal(await detail.locator('[data-field="description"]').textContent(), description);
    assert.equal(await detail.locator('[data-field="description"] b, [data-field="description"] script').count(), 0);
  });

  test("issue keys in a file: a link on the key, and a hover with its title and status", STEP, async () => {
    await runCommand(page, "View: Close All Editors");
    // A seeded issue of the connected Jira, and what Jira says of it.
    const key = (await sim.search(alice.pat, "project = ISB ORDER BY key ASC")).keys[0];
    assert.ok(key, "the simulator seeds ISB issues");
    const fields = await sim.issue(alice.pat, key, "summary,status");
    const title = String(fields.summary);
    const status = (fields.status as { name: string }).name;
    // Python: no language server of its own here, so the hover is the agent's alone.
    writeFileSync(keysFile(), `# see ${key} for why\nANSWER = 42\n# TODO: ${KEYS_TODO}\n`);

    await runCommand(page, "Notifications: Clear All Notifications");
    const editor = await openFile(page, "keys.py");
    // documentLink: VS Code draws the agent's link on the key alone.
    const link = editorLine(editor, `see ${key} for why`).locator("span.detected-link", { hasText: key });
    await link.waitFor({ timeout: 60_000 });
    assert.equal((await link.textContent())?.trim(), key);

    // hover: the issue's title and status, from Jira (one widget has them).
    await link.hover();
    const hover = page.locator(".monaco-hover", { hasText: title }).filter({ visible: true });
    await hover.waitFor({ timeout: 60_000 });
    const hoverText = (await hover.textContent()) ?? "";
    assert.ok(hoverText.includes(key), `the hover names ${key}: ${hoverText}`);
    assert.ok(hoverText.includes(status), `the hover shows the status ${status}: ${hoverText}`);
    // The picture for the docs: the top of the editor, with the line and the hover.
    const box = await page.locator(".part.editor").boundingBox();
    assert.ok(box, "the editor is on screen");
    await page.screenshot({
      path: path.join(screenshots, "issue-key-hover.png"),
      clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 260) },
    });
    await page.keyboard.press("Escape");
    await hover.waitFor({ state: "hidden" });
  });

  test("issue keys: completion after ISB- offers alice's open ISB issues first, and inserts the key chosen", STEP, async () => {
    // The agent's first item: alice's unresolved ISB issue updated last (as Jira orders it).
    const mine = await sim.search(alice.pat, "project = ISB AND assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC");
    const first = mine.keys[0];
    assert.ok(first, "alice has open ISB issues");
    const title = String((await sim.issue(alice.pat, first, "summary")).summary);
    const editor = await openFile(page, "keys.py");
    // A new last line (the TODO stays on line 3).
    await editorLine(editor, `TODO: ${KEYS_TODO}`).click();
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("# ISB-");
    // "-" triggers the agent's completion; the list is virtual: row 0 is the first item.
    const top = page.locator('.suggest-widget .monaco-list-row[data-index="0"]');
    await top.filter({ hasText: first }).waitFor({ timeout: 30_000 });
    assert.ok(((await top.textContent()) ?? "").includes(title), "the item's detail is the issue's title");
    await page.keyboard.press("Enter");
    await editorLine(editor, `# ${first}`).waitFor({ timeout: 30_000 });
  });

  test("issue keys: the TODO line's quick fix creates the issue through the Create Issue form, and the comment names it", STEP, async () => {
    const todo = KEYS_TODO;
    const file = keysFile();
    const editor = await openFile(page, "keys.py");
    // The TODO line's quick fix runs the extension's Create Issue flow, started with the comment.
    await editorLine(editor, `TODO: ${todo}`).click();
    await page.keyboard.press("Control+.");
    const action = page.locator(".action-widget .monaco-list-row", { hasText: "Create issue from this comment" });
    await action.waitFor({ timeout: 30_000 });
    await action.click();
    // The agent proposes the project the file refers to (ISB), and the pickers list it first.
    // (The list is virtual: the first row is the one at index 0, wherever it is in the DOM.)
    const firstRow = page.locator('.quick-input-widget .quick-input-list .monaco-list-row[data-index="0"]');
    await firstRow.filter({ hasText: "IssueBridge · proposed" }).waitFor({ timeout: 30_000 });
    await pickInQuickPick("IssueBridge", "ISB");
    await firstRow.getByText("Task", { exact: true }).waitFor({ timeout: 30_000 });
    await pickInQuickPick("Improvement", "Task");
    await activeTab("New Task in ISB");
    const form = visibleWebview(page);
    const summary = form.locator("#field-summary");
    await summary.waitFor({ timeout: 30_000 });
    assert.equal(await summary.inputValue(), todo);
    const description = await form.locator("#field-description").inputValue();
    assert.match(description, new RegExp(`^${todo}\\n\\nFrom \\S*keys\\.py:3$`), "the description says where the comment is");
    await shot("create-from-comment-form.png");
    await form.getByRole("button", { name: "Create", exact: true }).click();
    const created = notification(page, "now names it");
    await created.waitFor({ timeout: 30_000 });
    const newKey = /Created (ISB-\d+)/.exec((await created.textContent()) ?? "")?.[1];
    assert.ok(newKey, "the notification names the new issue");
    const stored = await sim.issue(alice.pat, newKey, "summary,description");
    assert.equal(stored.summary, todo);
    assert.equal(stored.description, description);

    // The comment now names the issue, in the editor and, saved, on disk.
    await page.locator(".tabs-container .tab", { hasText: "keys.py" }).click();
    await activeTab("keys.py");
    const keyLine = editorLine(editor, `TODO: ${newKey}`);
    await keyLine.waitFor({ timeout: 30_000 });
    // VS Code for the Web saves a moment after an edit by itself (files.autoSave
    // afterDelay); Ctrl+S as a person would, either way.
    await keyLine.click();
    await page.keyboard.press("Control+S");
    const saved = await waitForFile(file, (text) => text.includes(newKey));
    assert.equal(saved.split("\n")[2], `# TODO: ${newKey}`);
    await runCommand(page, "View: Close All Editors");
    // The "Created … Open" notification stays until dismissed: cleared, it cannot cover
    // the notifications later steps click in.
    await runCommand(page, "Notifications: Clear All Notifications");
  });

  test("offline: the list says so with its age, and a Refresh after the server is back is fresh", STEP, async () => {
    await runCommand(page, "View: Close All Editors");
    await setJqlFilter("");
    const view = await showIssuesView(page);
    const host = sim.baseUrl.replace(/^http:\/\//, "");
    const instanceRow = treeRow(view, host).first();
    await instanceRow.filter({ hasText: /\d{3} issues$/ }).waitFor({ timeout: 30_000 });
    await sim.admin("PUT", "network", { down: true });
    try {
      await runCommand(page, "issuebridge: Refresh Issues");
      await instanceRow.filter({ hasText: /\d{3} issues · offline · fetched (just now|1 min ago)/ }).waitFor({ timeout: 60_000 });
      await shot("issues-view-offline.png");
    } finally {
      await sim.admin("PUT", "network", { down: false });
    }
    await runCommand(page, "issuebridge: Refresh Issues");
    await instanceRow.filter({ hasText: /\d{3} issues$/ }).waitFor({ timeout: 60_000 });
  });

  test("Connecting again clears the old error in the Issues view, without Refresh", STEP, async () => {
    // Jira fails a search (a proxy's 502 on each of the agent's 3 attempts): the view shows
    // the error, the instance stays connected.
    await sim.admin("PUT", "faults", { html502: 3, match: "/search" });
    const view = await showIssuesView(page);
    await runCommand(page, "issuebridge: Refresh Issues");
    const oldError = treeRow(view, "HTTP 502");
    await oldError.first().waitFor({ timeout: 30_000 });
    await shot("issues-view-error.png");

    // The user connects again in the panel (same URL, the token pasted again).
    await runCommand(page, "issuebridge: Open Integrations");
    const panel = integrationsPanel(page);
    await panel.getByRole("radio", { name: /Personal access token/ }).check();
    await panel.locator('input[name="baseUrl"]').fill(sim.baseUrl);
    await panel.locator('input[name="token"]').fill(alice.pat);
    await panel.getByRole("button", { name: "Connect", exact: true }).click();
    await panel.locator(".form-status .success", { hasText: `as ${alice.displayName}` }).waitFor({ timeout: 30_000 });

    // No Refresh: the view fetches again by itself, and the old error is gone.
    const total = (await sim.search(alice.pat, UNRESOLVED_MINE)).total;
    const host = sim.baseUrl.replace(/^http:\/\//, "");
    await showIssuesView(page);
    await treeRow(view, host).filter({ hasText: `${total} issues` }).waitFor({ timeout: 60_000 });
    assert.equal(await oldError.count(), 0, "the old error is gone");
    await shot("issues-view-after-reconnect.png");
  });

  test("OAuth: a generated key, the authorize page, Allow, the pasted callback address connects", STEP, async () => {
    // A second Jira, so that the token instance above stays as it is.
    const second = await Simulator.start(python, dirs.logs, "jira-sim-oauth");
    oauthSim = second;
    await second.admin("PUT", "auto-approve", { user: null }); // the real login + Allow page

    await runCommand(page, "issuebridge: Open Integrations");
    const panel = integrationsPanel(page);
    await panel.getByRole("radio", { name: /OAuth 1\.0a/ }).check();
    await panel.getByLabel("Jira base URL").fill(second.baseUrl);
    await panel.getByLabel("Consumer key").fill("issuebridge-e2e");
    await panel.getByRole("button", { name: "Generate key pair" }).click();
    const pem = panel.getByLabel("Public key");
    await pem.waitFor({ timeout: 30_000 });
    const publicKeyPem = (await pem.textContent()) ?? "";
    assert.match(publicKeyPem, /BEGIN PUBLIC KEY/);
    // The admin's step, done through the simulator's admin API.
    await second.admin("POST", "consumers", { consumerKey: "issuebridge-e2e", publicKeyPem, name: "issuebridge e2e" });
    await shot("integrations-generated-key.png");

    await panel.getByRole("button", { name: "Connect", exact: true }).click();
    const card = panel.locator(`article[aria-label="${second.baseUrl}"]`);
    await card.locator(".badge", { hasText: "Needs authorization" }).waitFor({ timeout: 30_000 });
    // The key is registered: its public half and the admin's steps are gone with the form.
    await pem.waitFor({ state: "hidden" });
    assert.equal(await panel.locator("section.keybox").isVisible(), false);

    // As when the browser cannot reach the agent (a remote editor): Allow sends
    // the browser to the callback, which never arrives. The test answers Jira's
    // redirect itself (Playwright does not route a redirect's target), keeping
    // the address the browser was sent to: what a person copies from the
    // address bar.
    let callbackUrl: string | undefined;
    const authorizePath = /\/plugins\/servlet\/oauth\/authorize/;
    await context.route(authorizePath, async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      const response = await route.fetch({ maxRedirects: 0 });
      const location = response.headers().location;
      if (!location || !/\/callback\?/.test(location)) return route.fulfill({ response });
      callbackUrl = new URL(location, route.request().url()).toString();
      return route.fulfill({ status: 200, contentType: "text/html", body: "<title>This site can't be reached</title>" });
    });

    // Authorize: the agent asks VS Code (window/showDocument) to open the browser.
    const authorizePage = await authorizeInBrowser(card);
    await authorizePage.locator("#approve").waitFor({ timeout: 30_000 });
    await authorizePage.screenshot({ path: path.join(screenshots, "oauth-authorize-page.png") });
    const paste = card.getByLabel("Browser didn't come back? Paste the code or the address it shows");
    await paste.waitFor();
    await authorizePage.locator("#approve").click();
    for (let i = 0; i < 200 && !callbackUrl; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(callbackUrl, "the browser was sent to the callback");
    assert.match(callbackUrl, /oauth_verifier=/);
    await context.unroute(authorizePath);
    await authorizePage.close();

    await page.bringToFront();
    await paste.fill(callbackUrl);
    await shot("integrations-paste-callback.png");
    await card.getByRole("button", { name: "Complete", exact: true }).click();
    await card.locator(".badge", { hasText: "Connected" }).waitFor({ timeout: 60_000 });
    await paste.waitFor({ state: "detached" });
    const view = await showIssuesView(page);
    // Fold the instances so that the OAuth one is on screen, wherever it is listed.
    await foldInstances(view);
    const host = second.baseUrl.replace(/^http:\/\//, "");
    await treeRow(view, host).filter({ hasText: /Alice Anderson · \d+ issues/ }).waitFor({ timeout: 60_000 });
    await card.scrollIntoViewIfNeeded();
    await shot("integrations-oauth-connected.png");
  });

  test("OAuth: Authorize again, the browser comes back through code-server's proxy (externalUri)", STEP, async () => {
    assert.ok(oauthSim);
    const second = oauthSim;
    await runCommand(page, "issuebridge: Open Integrations");
    const panel = integrationsPanel(page);
    const card = panel.locator(`article[aria-label="${second.baseUrl}"]`);
    await card.getByRole("button", { name: "Disconnect", exact: true }).click();
    await card.locator(".badge", { hasText: "Needs authorization" }).waitFor({ timeout: 30_000 });

    // A wait the user cancels (the progress notification's Cancel) says why, in the agent's words.
    await (await authorizeInBrowser(card)).close();
    await page.bringToFront();
    await page
      .locator(".notification-list-item", { hasText: "in your browser, then come back here" })
      .getByRole("button", { name: "Cancel" })
      .click();
    await card.locator(".note", { hasText: "The authorization was cancelled before the browser came back." }).waitFor({ timeout: 30_000 });
    assert.equal(await card.getByLabel("Browser didn't come back? Paste the code or the address it shows").count(), 0);

    const callbacks: string[] = [];
    const onRequest = (request: { url(): string }): void => {
      if (/\/callback\?/.test(request.url())) callbacks.push(request.url());
    };
    context.on("request", onRequest);
    const authorizePage = await authorizeInBrowser(card);
    await authorizePage.locator("#approve").click();
    await card.locator(".badge", { hasText: "Connected" }).waitFor({ timeout: 60_000 });
    context.off("request", onRequest);
    await authorizePage.close().catch(() => undefined);
    await page.bringToFront();
    // The agent asked for an external URI; VS Code (code-server) mapped its
    // 127.0.0.1 listener to a path of its own origin, which Jira sent the browser to.
    assert.ok(
      callbacks.some((url) => url.startsWith(`${server.url}/proxy/`)),
      `the callback went through code-server's proxy: ${JSON.stringify(callbacks)}`,
    );
  });

  test("OAuth 2.0: connect through the panel", STEP, async () => {
    // Its own simulator (Jira 9.12, which has the OAuth 2.0 provider), forgotten at
    // the end: the other steps see the instances they expect.
    const jira = await Simulator.start(python, dirs.logs, "jira-sim-oauth2");
    try {
      // What the agent describes (the form's defaults, the guide), asked by the test
      // itself with the same Python as the extension's agent.
      const described = new AgentClient(python);
      let method: { fields: { name: string; default?: string }[]; guideUrl?: string } | undefined;
      try {
        await described.initialize();
        const listed = (await described.request("issuebridge/providers/list", {})).result as {
          providers: { id: string; authMethods: { id: string; fields: { name: string; default?: string }[]; guideUrl?: string }[] }[];
        };
        method = listed.providers.find((p) => p.id === "jira-server")?.authMethods.find((m) => m.id === "oauth2");
      } finally {
        await described.close();
      }
      assert.ok(method, "the agent offers oauth2 for jira-server");
      const defaultRedirect = method.fields.find((f) => f.name === "redirectUri")?.default;
      assert.ok(defaultRedirect, "the redirect URI has a default");

      await runCommand(page, "issuebridge: Open Integrations");
      const panel = integrationsPanel(page);
      await panel.getByRole("radio", { name: /OAuth 2\.0/ }).check();
      const redirect = panel.locator('input[name="redirectUri"]');
      const note = panel.locator('[data-role="redirect-to-register"]');
      // The form starts with the agent's defaults, and says what to register.
      assert.equal(await redirect.inputValue(), defaultRedirect);
      assert.equal(await panel.locator('input[name="scope"]').inputValue(), method.fields.find((f) => f.name === "scope")?.default ?? "");
      assert.equal((await note.locator("code").textContent())?.trim(), defaultRedirect);

      // A port of the test's own (43917 may be taken on this machine), typed in the
      // form: the note follows, and the admin registers exactly what it shows.
      const redirectUri = `http://127.0.0.1:${await freePort()}/callback`;
      await redirect.fill(redirectUri);
      await note.locator("code", { hasText: redirectUri }).waitFor();
      const client = await jira.admin<{ clientId: string; clientSecret: string }>("POST", "oauth2/clients", {
        redirectUri: (await note.locator("code").textContent())?.trim(),
        name: "issuebridge e2e",
      });
      await jira.admin("PUT", "auto-approve", { user: "alice" }); // alice logs in and clicks Allow

      await panel.locator('input[name="baseUrl"]').fill(jira.baseUrl);
      await panel.locator('input[name="clientId"]').fill(client.clientId);
      const secret = panel.locator('input[name="clientSecret"]');
      assert.equal(await secret.getAttribute("type"), "password");
      // (Jira checks the secret only when the code is exchanged, after the browser: a
      // wrong one is refused at Authorize, the rotated-secret part below.)
      await secret.fill(client.clientSecret);
      // The picture for the docs: the methods, then the whole form with its note.
      await panel.getByRole("heading", { name: "Connect to Jira Server / Data Center" }).evaluate((el) => el.scrollIntoView({ block: "start" }));
      await shot("integrations-oauth2-form.png");
      const card = panel.locator(`article[aria-label="${jira.baseUrl}"]`);
      await panel.getByRole("button", { name: "Connect", exact: true }).click();
      await card.locator(".badge", { hasText: "Needs authorization" }).waitFor({ timeout: 30_000 });
      assert.equal(await secret.inputValue(), "", "the secret goes with a successful Connect");
      assert.equal(await redirect.inputValue(), defaultRedirect, "the form holds the defaults again");

      // Authorize: Jira (auto-approving) redirects the browser to the agent's
      // listener on the registered 127.0.0.1 port; the code is exchanged.
      const authorizePage = await authorizeInBrowser(card);
      await card.locator(".badge", { hasText: "Connected" }).waitFor({ timeout: 60_000 });
      assert.ok(authorizePage.url().startsWith(`${redirectUri}?`), `the browser ended on the redirect URI: ${authorizePage.url()}`);
      await authorizePage.close();
      await page.bringToFront();
      await card.scrollIntoViewIfNeeded();
      await shot("integrations-oauth2-connected.png");

      // The admin guide, opened in the editor: the bundled agent carries it
      // (bundle-python.sh); an agent on a Python of its own has it when installed
      // from source, as it said above.
      const guideLink = panel.getByRole("button", { name: "Open the admin guide" });
      assert.equal(await guideLink.count(), agentMode === "bundled" || method.guideUrl ? 1 : 0);
      if (await guideLink.count()) {
        await guideLink.click();
        await activeTab(/jira-server-oauth2\.md/);
        await runCommand(page, "View: Close Editor");
      }

      // Connected: alice's issues of this Jira are listed.
      const view = await showIssuesView(page);
      await foldInstances(view);
      const host = jira.baseUrl.replace(/^http:\/\//, "");
      await treeRow(view, host).filter({ hasText: /Alice Anderson · \d+ issues/ }).waitFor({ timeout: 60_000 });

      // The admin gives the link a new secret: authorizing with the old one is refused
      // (invalid_client), and Configure brings back the form filled in with what the
      // instance has (Instance.settings), the secret alone to type again.
      await runCommand(page, "issuebridge: Open Integrations");
      await card.getByRole("button", { name: "Disconnect", exact: true }).click();
      await card.locator(".badge", { hasText: "Needs authorization" }).waitFor({ timeout: 30_000 });
      await jira.admin("DELETE", `oauth2/clients/${client.clientId}`);
      const rotated = await jira.admin<{ clientSecret: string }>("POST", "oauth2/clients", {
        redirectUri,
        clientId: client.clientId,
        name: "issuebridge e2e",
      });
      assert.notEqual(rotated.clientSecret, client.clientSecret);
      await (await authorizeInBrowser(card)).close();
      await page.bringToFront();
      const refused = card.locator(".note.error");
      await refused.waitFor({ timeout: 60_000 });
      await refused.getByRole("button", { name: "Configure", exact: true }).click();
      await panel.getByRole("radio", { name: /OAuth 2\.0/ }).and(panel.locator(":checked")).waitFor();
      assert.equal(await panel.locator('input[name="baseUrl"]').inputValue(), jira.baseUrl);
      assert.equal(await panel.locator('input[name="clientId"]').inputValue(), client.clientId);
      assert.equal(await redirect.inputValue(), redirectUri, "the instance's own redirect URI, not the default");
      assert.equal(await secret.inputValue(), "", "a secret is never filled in");
      await note.locator("code", { hasText: redirectUri }).waitFor();
      await secret.fill(rotated.clientSecret);
      await panel.getByRole("button", { name: "Connect", exact: true }).click();
      await card.locator(".badge", { hasText: "Needs authorization" }).waitFor({ timeout: 30_000 });
      await panel.locator(".form-status .success").waitFor({ timeout: 30_000 });
      await (await authorizeInBrowser(card)).close();
      await page.bringToFront();
      await card.locator(".badge", { hasText: "Connected" }).waitFor({ timeout: 60_000 });

      await card.getByRole("button", { name: "Forget", exact: true }).click();
      await dialogButton(page, "Forget").click();
      await card.waitFor({ state: "detached", timeout: 30_000 });
    } finally {
      await jira.stop();
    }
  });

  test("when the agent dies, the reason is shown and it is restarted", STEP, async () => {
    const before = await statusBarItem(page, /issuebridge: \d+ connected/).textContent();
    const agents = pidsInGroup(server.processGroup, "-m agent --stdio");
    assert.equal(agents.length, 1, `expected one agent process, found ${agents.length}`);
    process.kill(agents[0]!, "SIGKILL");
    await page
      .locator(".notification-list-item-message", { hasText: "The issuebridge agent stopped (killed by SIGKILL" })
      .first()
      .waitFor({ timeout: 30_000 });
    await shot("agent-restarted.png");
    // A new agent, with the same stored configuration.
    await statusBarItem(page, (before ?? "").trim()).waitFor({ timeout: 60_000 });
    const restarted = pidsInGroup(server.processGroup, "-m agent --stdio");
    assert.equal(restarted.length, 1);
    assert.notEqual(restarted[0], agents[0]);
  });

  test("after a reload the Integrations panel is open again and folded instances stay folded", STEP, async () => {
    assert.ok(oauthSim);
    const hosts = [sim.baseUrl, oauthSim.baseUrl].map((url) => url.replace(/^http:\/\//, ""));
    const view = await showIssuesView(page);
    // Fold both instances now (the list is virtual: an unfolded one above may
    // hide the other), each by a click of the user's: unfold a folded one first.
    const instanceRow = (host: string, expanded: boolean): Locator =>
      view.locator(`.monaco-list-row[aria-expanded="${expanded}"]`, { hasText: host }).first();
    for (let round = 0; round < 2; round++) {
      for (const host of hosts) {
        if (await instanceRow(host, true).isVisible().catch(() => false)) await instanceRow(host, true).click();
      }
    }
    for (const host of hosts) {
      await instanceRow(host, false).click();
      await instanceRow(host, true).waitFor({ timeout: 30_000 });
      await instanceRow(host, true).click();
      await instanceRow(host, false).waitFor({ timeout: 30_000 });
    }

    // The browser has stored the folds (code-server writes workspace state lazily).
    const config = JSON.parse(readFileSync(path.join(dirs.root, "agent-storage", "config.json"), "utf8")) as {
      instances: Record<string, { base_url: string }>;
    };
    const ids = Object.entries(config.instances)
      .filter(([, instance]) => [sim.baseUrl, oauthSim?.baseUrl].includes(instance.base_url))
      .map(([id]) => id);
    assert.equal(ids.length, 2);
    await waitForStoredWorkspaceState(page, "issuebridge.foldedInstances", ids);

    await runCommand(page, "issuebridge: Open Integrations");
    await integrationsPanel(page).getByText("Agent running").waitFor({ timeout: 30_000 });
    // As a person reloads: the window shuts down (state saved), then loads again.
    const reloaded = page.waitForEvent("load", { timeout: 60_000 });
    await runCommand(page, "Developer: Reload Window");
    await reloaded;
    await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
    const panel = integrationsPanel(page);
    await panel.getByRole("heading", { name: "Jira Server / Data Center", level: 2 }).waitFor({ timeout: 90_000 });
    await panel.getByText("Agent running").waitFor({ timeout: 60_000 });
    const afterReload = await showIssuesView(page);
    for (const host of hosts) {
      const row = afterReload.locator(".monaco-list-row", { hasText: host }).first();
      await row.waitFor({ timeout: 60_000 });
      assert.equal(await row.getAttribute("aria-expanded"), "false", `${host} stays folded`);
    }
    assert.equal(await panel.locator(".storage-note").isVisible(), false, "the secret-file note was said once");
  });
});
