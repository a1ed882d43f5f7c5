// Every example in README.md, bench/README.md and docs/**/*.md still works, and the command pages list every option
// their command has. For each page, its fenced blocks in order:
//   ts       must be one of examples/*.ts verbatim; that example runs (node dist/examples/<name>.js, exit 0)
//   yaml     with a first line `# file: NAME`, written to the page's working directory (a temp dir); else it must parse
//   sh       each line runs in the page's working directory, in order, and must exit 0:
//              `npx spike-align CMD ...` runs the built CLI, shortened by SHORTEN below (flags given later win)
//                unless it resumes a run; a sweep of a built-in paper preset runs as `--emit slurm` (it expands
//                the sweep and validates every run's config, then writes the job script instead of running it);
//              `npm run X` / `npm test`: the script exists; `npm install`: accepted;
//              `node dist/examples/X.js` runs; another `node dist/...` file must exist (after the build)
//   sh flags-only (reason)   not run; every option of every spike-align line must be in its command's --help
//   ts fragment (reason)     a piece of a file a reader writes (a recipe), not a program: not run, the reason is required
//   text     not checked (expected output, JSON shapes)
// The runs are multi-process CLI checks, so they are tagged slow; the option check of every spike-align line (run or
// not) and the examples are not.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parse as parseYaml } from "yaml";

const ROOT = join(import.meta.dirname, "..");
const CLI = join(ROOT, "dist/src/cli/main.js");

function mdFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? mdFiles(join(dir, e.name)) : e.name.endsWith(".md") ? [join(dir, e.name)] : [],
  );
}
const PAGES = ["README.md", "bench/README.md", ...mdFiles("docs").sort()];

interface Block {
  lang: string;
  /** the rest of the info string, e.g. "flags-only (needs a Redis server)" */
  info: string;
  body: string;
  line: number;
}

/** The fenced code blocks of a markdown page. */
export function codeBlocks(md: string): Block[] {
  const out: Block[] = [];
  const lines = md.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^```(\S*)\s*(.*)$/.exec(lines[i]);
    if (!m) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith("```"); i++) body.push(lines[i]);
    out.push({ lang: m[1], info: m[2].trim(), body: body.join("\n"), line: start + 1 });
  }
  return out;
}

/** Splits a shell line into words: quotes, `~`, a trailing `# comment`; `&&` is a word of its own. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = "",
    inWord = false,
    quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "#" && !inWord) {
      break;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

const PAPER_SWEEPS = new Set(["ssn-syn-noise", "ssn-plast-noise", "microcircuit-fig6", "deepnet-fig8", "deepnet-quick"]);
const SSN_SHORT = ["--epochs", "11", "--dur", "20", "--val-step", "5", "--val-factor", "2"];

/** Flags appended to a spike-align line so that a paper-length run fits in CI. */
const SHORTEN: Record<string, (args: string[]) => string[]> = {
  demo: () => SSN_SHORT,
  ssn: (a) => [...SSN_SHORT, ...(a.includes("--checkpoint-every") ? ["--checkpoint-every", "5"] : [])],
  pair: () => ["--epochs", "20"],
  stdd: (a) => ["--steps", "100000", ...(a.includes("psp-shapes") ? ["--biases", "-1,1"] : [])],
  microcircuit: (a) => [
    ...["--epochs", "2", "--pattern-steps", "2000", "--learning-lag", "500", "--teacher-pattern-steps", "2000"],
    ...(a.includes("--seeds") ? ["--seeds", "2"] : []),
    ...(a.includes("--checkpoint-every") ? ["--checkpoint-every", "1"] : []),
  ],
  align: () => ["--epochs", "2", "--steps-per-epoch", "100"],
  infer: () => ["--seconds", "2"],
  ei: (a) => ["--steps", "5000", ...(a.includes("none") ? [] : ["--grid", "0,1,0.5"])],
  train: (a) => [
    ...["--train-subset", "256", "--test-subset", "128"],
    // a SAL or RDD phase simulates the fc layers' sizes: a small hidden layer keeps the phase short
    ...(a.includes("sal") || a.includes("rdd") ? ["--hidden", "64"] : []),
    ...(a.includes("--checkpoint-every") ? ["--epochs", "2", "--checkpoint-every", "1"] : ["--epochs", "1"]),
  ],
  sweep: (a) => (PAPER_SWEEPS.has(a[0]) && !a.includes("--emit") ? ["--emit", "slurm"] : []),
};

/** A resumed run keeps its (shortened) config; an `--epochs` that extends it extends it by a few epochs only. */
const RESUME_EPOCHS: Record<string, string> = { ssn: "21", train: "3" };

export function shortened(cmd: string, args: string[]): string[] {
  if (args.includes("--help")) return args;
  if (args.includes("--resume")) return args.map((a, i) => (args[i - 1] === "--epochs" && RESUME_EPOCHS[cmd] ? RESUME_EPOCHS[cmd] : a));
  return [...args, ...(SHORTEN[cmd]?.(args) ?? [])];
}

const helpCache = new Map<string, string>();
/** `spike-align CMD --help`, cached. */
function help(cmd: string): string {
  if (!helpCache.has(cmd)) {
    const r = spawnSync(process.execPath, [CLI, ...(cmd ? [cmd] : []), "--help"], { encoding: "utf8" });
    expect(r.status, `spike-align ${cmd} --help: ${r.stderr}`).toBe(0);
    helpCache.set(cmd, r.stdout);
  }
  return helpCache.get(cmd)!;
}

/** The options of a command as its --help lists them (`--no-x` included). */
function helpOptions(cmd: string): Set<string> {
  const lines = help(cmd).split("\n");
  const opts: string[] = [];
  for (const l of lines.slice(lines.indexOf("Options:") + 1)) {
    if (l !== "" && !l.startsWith(" ")) break;
    opts.push(...(l.match(/--[a-z][a-z0-9-]*/g) ?? []));
  }
  return new Set(opts);
}

/** Each spike-align invocation of a block: [command, args]; `&&` chains are split. */
function invocations(body: string): { words: string[]; text: string }[] {
  const out: { words: string[]; text: string }[] = [];
  for (const text of body.split("\n")) {
    const words = shellWords(text);
    let cur: string[] = [];
    for (const w of [...words, "&&"]) {
      if (w === "&&") {
        if (cur.length) out.push({ words: cur, text });
        cur = [];
      } else cur.push(w);
    }
  }
  return out;
}

function spikeAlign(words: string[]): { cmd: string; args: string[] } | null {
  const w = words[0] === "npx" ? words.slice(1) : words;
  return w[0] === "spike-align" ? { cmd: w[1], args: w.slice(2) } : null;
}

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
const examples = readdirSync(join(ROOT, "examples"))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => ({ name: f.replace(/\.ts$/, ""), text: readFileSync(join(ROOT, "examples", f), "utf8").trim() }));

function run(cwd: string, argv: string[], what: string): void {
  const r = spawnSync(process.execPath, argv, { cwd, encoding: "utf8", timeout: 240_000 });
  expect(r.status, `${what}\nexit ${r.status} ${r.signal ?? ""}\n${r.stderr.slice(-2000)}`).toBe(0);
}

/** Runs one line of an sh block in `cwd`. */
function runLine(cwd: string, words: string[], text: string): void {
  const sa = spikeAlign(words);
  if (sa) return run(cwd, [CLI, sa.cmd, ...shortened(sa.cmd, sa.args)], text);
  if (words[0] === "npm") {
    if (words[1] === "install" || words[1] === "ci") return;
    const script = words[1] === "run" ? words[2] : words[1];
    expect(pkg.scripts, `${text}: no npm script '${script}'`).toHaveProperty([script]);
    return;
  }
  if (words[0] === "node" && words[1]?.startsWith("dist/")) {
    expect(existsSync(join(ROOT, words[1])), `${text}: ${words[1]} does not exist after the build`).toBe(true);
    if (words[1].startsWith("dist/examples/")) run(cwd, [join(ROOT, words[1]), ...words.slice(2)], text);
    return;
  }
  throw new Error(`a docs example line the test cannot run or check: ${text}`);
}

for (const page of PAGES) {
  const blocks = codeBlocks(readFileSync(join(ROOT, page), "utf8"));
  if (!blocks.some((b) => ["sh", "ts", "yaml"].includes(b.lang))) continue;

  describe(`examples of ${page}`, () => {
    let dir = "";
    const cwd = () => (dir ||= mkdtempSync(join(tmpdir(), "spike-align-docs-")));

    it("every spike-align option in its examples exists in the command's --help", () => {
      for (const b of blocks.filter((x) => x.lang === "sh"))
        for (const { words, text } of invocations(b.body)) {
          const sa = spikeAlign(words);
          if (!sa) continue;
          const known = helpOptions(sa.cmd);
          for (const a of sa.args) if (a.startsWith("--")) expect(known, `${page}:${b.line}: ${text}: ${a}`).toContain(a.split("=")[0]);
        }
    });

    for (const b of blocks) {
      const where = `${page}:${b.line}`;
      if (b.lang === "ts" && b.info.startsWith("fragment")) {
        it(`${where}: a ts fragment says why it is not run`, () => {
          expect(b.info, where).toMatch(/^fragment \(.+\)$/);
        });
      } else if (b.lang === "ts") {
        it(`${where}: the ts example is a file of examples/ and runs`, () => {
          const ex = examples.find((e) => e.text === b.body.trim());
          expect(ex, `${where}: not the text of any examples/*.ts`).toBeDefined();
          run(ROOT, [join(ROOT, `dist/examples/${ex!.name}.js`)], where);
        });
      } else if (b.lang === "yaml") {
        it(`${where}: the yaml block parses`, () => {
          const m = /^# file: (\S+)\n/.exec(b.body);
          const parsed = parseYaml(b.body);
          expect(parsed, where).toBeTypeOf("object");
          if (m) writeFileSync(join(cwd(), m[1]), b.body);
        });
      } else if (b.lang === "sh" && !b.info.startsWith("flags-only")) {
        it(`${where}: the commands run`, { tags: ["slow"], timeout: 600_000 }, () => {
          for (const { words, text } of invocations(b.body)) runLine(cwd(), words, `${where}: ${text}`);
        });
      } else if (b.lang === "sh") {
        it(`${where}: flags-only block says why it is not run`, () => {
          expect(b.info, where).toMatch(/^flags-only \(.+\)$/);
        });
      }
    }

    it("cleanup", () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });
  });
}

describe("command pages", () => {
  const pages: Record<string, string[]> = {
    demo: ["demo"],
    pair: ["pair"],
    stdd: ["stdd"],
    ssn: ["ssn"],
    microcircuit: ["microcircuit"],
    align: ["align"],
    infer: ["infer"],
    ei: ["ei"],
    train: ["train"],
    sweep: ["sweep", "sweep-task", "worker", "report"],
  };

  it("there is one page per command of the CLI", () => {
    const section = help("").split("\nCommands:\n")[1].split("\n\n")[0];
    const cmds = [...section.matchAll(/^ {2}([a-z-]+) [[<]/gm)].map((m) => m[1]);
    expect(cmds.length).toBeGreaterThan(10);
    const listed = Object.values(pages).flat();
    for (const c of cmds.filter((c) => c !== "help")) expect(listed, `command ${c} has no page`).toContain(c);
    for (const p of Object.keys(pages)) expect(existsSync(join(ROOT, `docs/commands/${p}.md`)), p).toBe(true);
  });

  for (const [page, cmds] of Object.entries(pages)) {
    it(`docs/commands/${page}.md names every option of ${cmds.join(", ")}`, () => {
      const text = readFileSync(join(ROOT, `docs/commands/${page}.md`), "utf8");
      for (const cmd of cmds)
        for (const o of helpOptions(cmd)) {
          if (o === "--help" || o === "--version") continue;
          expect(text, `${relative(ROOT, join(ROOT, "docs/commands", page + ".md"))} lacks ${cmd} ${o}`).toContain(o);
        }
    });
  }
});
