// `npm run asbuild`: builds the wasm (asbuild:release, then asbuild:debug) unless nothing it is built from has
// changed since the last build. The inputs are the AssemblyScript sources (assembly/, without the generated
// layout), asconfig.json, src/backend/layout.ts (the generated layout's source), the two generator scripts and the
// compiler's version; their hash and a hash of every output are recorded in build/asbuild.json after a build.
// The build is skipped only when the inputs hash the same and every output is there with its recorded hash, so a
// fresh clone, an edit of any input or a touched output builds again. `--force` (npm run asbuild:force) always builds.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const STAMP = join(ROOT, "build/asbuild.json");
const GENERATED_LAYOUT = "assembly/layout.generated.ts";
const OUTPUTS = ["build/release.wasm", "build/debug.wasm", GENERATED_LAYOUT, "src/backend/wasm/binary.generated.ts"];

/** @param {string} dir @returns {string[]} paths relative to ROOT, sorted */
function filesUnder(dir) {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .sort();
}

/** @param {string[]} paths @returns {string} one hash of the paths and their contents */
function hashFiles(paths) {
  const h = createHash("sha256");
  for (const p of paths)
    h.update(p)
      .update("\0")
      .update(readFileSync(join(ROOT, p)))
      .update("\0");
  return h.digest("hex");
}

/** @param {string} p @returns {string} */
const hashFile = (p) =>
  createHash("sha256")
    .update(readFileSync(join(ROOT, p)))
    .digest("hex");

function inputsHash() {
  const inputs = [
    ...filesUnder("assembly").filter((p) => p !== GENERATED_LAYOUT),
    "asconfig.json",
    "src/backend/layout.ts",
    "scripts/gen-layout.mjs",
    "scripts/embed-wasm.mjs",
    "node_modules/assemblyscript/package.json",
  ];
  return hashFiles(inputs);
}

/** @returns {{ inputs: string, outputs: Record<string, string> } | null} */
function readStamp() {
  try {
    return JSON.parse(readFileSync(STAMP, "utf8"));
  } catch {
    return null;
  }
}

/** @param {string} script */
function npmRun(script) {
  // npm sets npm_execpath when it runs this script; run the same npm
  const npm = process.env.npm_execpath;
  const r = npm
    ? spawnSync(process.execPath, [npm, "run", script], { cwd: ROOT, stdio: "inherit" })
    : spawnSync("npm", ["run", script], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const force = process.argv.includes("--force");
const inputs = inputsHash();
const stamp = readStamp();
const fresh =
  !force &&
  stamp !== null &&
  stamp.inputs === inputs &&
  OUTPUTS.every((p) => existsSync(join(ROOT, p)) && stamp.outputs[p] === hashFile(p));
if (fresh) {
  console.log("asbuild: the wasm is up to date with assembly/, asconfig.json and src/backend/layout.ts (npm run asbuild:force rebuilds)");
} else {
  npmRun("asbuild:release");
  npmRun("asbuild:debug");
  writeFileSync(STAMP, JSON.stringify({ inputs, outputs: Object.fromEntries(OUTPUTS.map((p) => [p, hashFile(p)])) }, null, 1) + "\n");
}
