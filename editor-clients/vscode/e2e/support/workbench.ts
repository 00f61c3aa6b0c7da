// Driving the VS Code workbench in the browser: commands, the activity bar, the
// Integrations webview (two nested iframes), tree rows, screenshots.
import type { FrameLocator, Locator, Page } from "playwright-core";

export async function openWorkbench(page: Page, url: string, folder: string): Promise<void> {
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
  await page.locator(".part.statusbar").waitFor({ timeout: 60_000 });
}

/** F1, the command's title, Enter: as a person runs a command. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator(".quick-input-widget input");
  for (let attempt = 1; ; attempt++) {
    await page.locator(".monaco-workbench").click({ position: { x: 5, y: 300 }, force: true }).catch(() => undefined);
    await page.keyboard.press("F1");
    await input.waitFor({ state: "visible" });
    try {
      await input.fill(`>${title}`, { timeout: 5_000 });
      break;
    } catch (error) {
      // The palette closed under us (a webview panel took the focus as it came
      // forward): open it again, as a person would.
      if (attempt >= 3) throw error;
    }
  }
  const row = page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first();
  await row.waitFor({ state: "visible", timeout: 15_000 });
  await page.keyboard.press("Enter");
  // The palette closes, or turns into the command's own input box.
  await page.waitForFunction(() => {
    const widget = document.querySelector<HTMLElement>(".quick-input-widget:not(.quick-input-widget-closing)");
    const input = widget?.querySelector("input");
    return !widget || widget.offsetParent === null || !input?.value.startsWith(">");
  });
}

export function statusBarItem(page: Page, text: string | RegExp): Locator {
  return page.locator(".part.statusbar .statusbar-item", { hasText: text });
}

/** The Integrations panel's document: VS Code nests it in two iframes. */
export function integrationsPanel(page: Page): FrameLocator {
  return page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
}

/**
 * The document of the webview panel on screen (issue details, create form).
 * Several may be open; VS Code hides the ones behind other tabs.
 */
export function visibleWebview(page: Page): FrameLocator {
  return page.locator("iframe.webview.ready").filter({ visible: true }).contentFrame().frameLocator("iframe#active-frame");
}

/** A modal dialog's button (VS Code's own dialogs, e.g. showWarningMessage with modal: true). */
export function dialogButton(page: Page, name: string): Locator {
  return page.locator(".monaco-dialog-box").getByRole("button", { name, exact: true });
}

/** A notification toast whose message contains `text`. */
export function notification(page: Page, text: string | RegExp): Locator {
  return page.locator(".notification-list-item", { has: page.locator(".notification-list-item-message", { hasText: text }) });
}

export async function showIssuesView(page: Page): Promise<Locator> {
  const view = page.locator(".pane", { has: page.locator(".pane-header", { hasText: /issues/i }) });
  const list = view.locator(".monaco-list");
  // The activity bar icon toggles: a click while the container is already shown (its
  // list not drawn yet, say) hides the side bar. So click, and click again if the
  // list did not come.
  for (let attempt = 0; attempt < 3 && !(await list.isVisible().catch(() => false)); attempt++) {
    await page.locator('.activitybar [aria-label^="issuebridge"]').first().click();
    await list.waitFor({ state: "visible", timeout: 10_000 }).catch(() => undefined);
  }
  await list.waitFor({ state: "visible", timeout: 30_000 });
  await widenSideBar(page, 560);
  return view;
}

/**
 * Folds every instance with the view's Collapse All action: the agent lists
 * instances in no fixed order, and the list is virtual (an unfolded instance
 * with many issues hides the ones below it). One click outside the rows: the
 * list recycles row elements as it changes (an instance's issues arriving), so
 * a click meant for one row can land on another, e.g. an issue that then opens.
 */
export async function foldInstances(view: Locator): Promise<void> {
  await view.page().locator(".part.sidebar").getByRole("button", { name: "Collapse All" }).click();
  await view.locator('.monaco-list-row[aria-level="2"]').first().waitFor({ state: "detached", timeout: 30_000 });
}

export function treeRow(view: Locator, text: string | RegExp): Locator {
  return view.locator(".monaco-list-row", { hasText: text });
}

/** Drags the side bar's edge so issue titles are readable in screenshots. */
async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator(".part.sidebar").boundingBox();
  if (!box || box.width >= width - 10) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
}

/**
 * Waits until the browser has stored an extension's workspace state (code-server
 * keeps it in IndexedDB and writes it some time after the change): a reload right
 * after a change may otherwise lose it, as a person's quick reload could.
 */
export async function waitForStoredWorkspaceState(page: Page, key: string, values: string[]): Promise<void> {
  await page.waitForFunction(
    async ({ key, values }) => {
      const request = <T>(r: IDBRequest<T>): Promise<T> =>
        new Promise((resolve, reject) => {
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
      for (const info of await indexedDB.databases()) {
        if (!info.name?.startsWith("vscode-web-state-db-")) continue;
        const db = await request(indexedDB.open(info.name));
        try {
          for (const store of Array.from(db.objectStoreNames)) {
            const stored = (await request(db.transaction(store).objectStore(store).getAll())) as unknown[];
            for (const value of stored) {
              if (typeof value !== "string" || !value.includes(key)) continue;
              const state = JSON.parse(value) as Record<string, unknown>;
              const saved = state[key];
              if (Array.isArray(saved) && values.every((v) => saved.includes(v))) return true;
            }
          }
        } finally {
          db.close();
        }
      }
      return false;
    },
    { key, values },
    { timeout: 30_000, polling: 250 },
  );
}

/** Opens a workspace file with Quick Open (Ctrl+P), as a person does, and waits for its tab. */
export async function openFile(page: Page, name: string): Promise<Locator> {
  await page.locator(".monaco-workbench").click({ position: { x: 5, y: 300 }, force: true }).catch(() => undefined);
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill(name);
  await page.locator(".quick-input-list .monaco-list-row", { hasText: name }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press("Enter");
  await page.locator(".tabs-container .tab.active", { hasText: name }).waitFor({ timeout: 30_000 });
  return visibleEditor(page);
}

/** The text editor on screen (the active editor group's). */
export function visibleEditor(page: Page): Locator {
  return page.locator(".editor-group-container.active .monaco-editor").filter({ visible: true }).first();
}

/** The rendered line of `editor` that contains `text` (Monaco draws only the lines in view). */
export function editorLine(editor: Locator, text: string | RegExp): Locator {
  return editor.locator(".view-lines .view-line", { hasText: text });
}
