// Bundles the extension (Node, CommonJS, `vscode` external), the webview script
// (browser IIFE) and, on request, the unit tests and the end-to-end test.
//   node build.mjs               development build into dist/
//   node build.mjs --production  minified, no source maps (what the .vsix ships)
//   node build.mjs --tests       also test/*.test.ts → out/test/
//   node build.mjs --e2e         also e2e/*.test.ts → out/e2e/
import { build } from "esbuild";
import { copyFile, mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";

const args = new Set(process.argv.slice(2));
const production = args.has("--production");
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: "warning", target: "es2022" };

await rm("dist", { recursive: true, force: true });
// `npm run package` writes the .vsix into out/, which a fresh clone lacks.
await mkdir("out", { recursive: true });
await build({
  ...common,
  entryPoints: ["src/extension.ts"],
  outfile: "dist/extension.js",
  platform: "node",
  format: "cjs",
  external: ["vscode"],
});
// One script per webview: Integrations, an issue's details, the create form.
for (const [entry, out] of [
  ["src/webview/main.ts", "main.js"],
  ["src/webview/detail/main.ts", "detail.js"],
  ["src/webview/create/main.ts", "create.js"],
]) {
  await build({ ...common, entryPoints: [entry], outfile: `dist/webview/${out}`, platform: "browser", format: "iife" });
}
await mkdir("dist/webview", { recursive: true });
await copyFile("src/webview/styles.css", "dist/webview/styles.css");

async function buildTests(dir, outdir, external = []) {
  const entryPoints = (await readdir(dir)).filter((f) => f.endsWith(".test.ts")).map((f) => path.join(dir, f));
  await rm(outdir, { recursive: true, force: true });
  await build({
    ...common,
    sourcemap: true,
    minify: false,
    entryPoints,
    outdir,
    platform: "node",
    format: "esm",
    outExtension: { ".js": ".mjs" },
    external,
  });
}
if (args.has("--tests")) await buildTests("test", "out/test");
if (args.has("--e2e")) await buildTests("e2e", "out/e2e", ["playwright-core"]);
