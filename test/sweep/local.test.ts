// The local engine, the run directories and the report, through the CLI as a
// user runs them (dist build).
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CLI = new URL("../../dist/src/cli/main.js", import.meta.url).pathname;
const run = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const lastJson = (s: string) => JSON.parse(s.trim().split("\n").pop()!);
/** summary.json of every run, without timings, by run id. */
export function summaries(out: string): Record<string, unknown> {
  const res: Record<string, unknown> = {};
  for (const id of readdirSync(join(out, "runs"))) {
    const { nsPerStep: _n, simSeconds: _s, ...rest } = JSON.parse(readFileSync(join(out, "runs", id, "summary.json"), "utf8"));
    res[id] = rest;
  }
  return res;
}

describe("spike-align sweep (local worker threads)", () => {
  it("runs a sweep file on two threads; a second call skips the complete runs and redoes an interrupted one", { tags: ["slow"] }, () => {
    const dir = mkdtempSync(join(tmpdir(), "sweep-local-"));
    writeFileSync(
      join(dir, "pairs.yaml"),
      "command: pair\npreset: quick\nconfig: { epochs: 30 }\ngrid:\n  lr: [0.01, 0.03]\n  seed: [1, 2, 3]\n",
    );
    const out = join(dir, "out");
    const r = run(["sweep", join(dir, "pairs.yaml"), "--out", out, "--workers", "2", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({
      command: "sweep",
      sweep: "pairs",
      engine: "local",
      runs: 6,
      done: 6,
      failed: 0,
      skipped: 0,
      out,
    });
    const ids = readdirSync(join(out, "runs"));
    expect(ids).toHaveLength(6);
    for (const id of ids) {
      const files = readdirSync(join(out, "runs", id));
      for (const f of ["config.json", "metrics.jsonl", "summary.json", "weights.svg", "done.json"]) expect(files).toContain(f);
      expect(
        readFileSync(join(out, "runs", id, "metrics.jsonl"), "utf8")
          .trim()
          .split("\n"),
      ).toHaveLength(30);
    }
    // the same runs as single commands give the same weights
    const one = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")).runs[4]; // lr 0.03, seed 2
    const single = lastJson(
      run(["pair", "--preset", "quick", "--epochs", "30", "--lr", "0.03", "--seed", "2", "--json", "--quiet"]).stdout,
    );
    expect(JSON.parse(readFileSync(join(out, "runs", one.id, "summary.json"), "utf8")).final).toEqual(single.final);
    // resume: an interrupted run (no marker) is redone, the others are skipped
    rmSync(join(out, "runs", ids[0], "done.json"));
    const again = lastJson(run(["sweep", join(dir, "pairs.yaml"), "--out", out, "--json"]).stdout);
    expect(again).toMatchObject({ runs: 6, done: 6, skipped: 5, failed: 0 });
    expect(lastJson(run(["sweep", join(dir, "pairs.yaml"), "--out", out, "--json", "--force"]).stdout)).toMatchObject({
      done: 6,
      skipped: 0,
    });
  });

  it("report: conditions by grid values without seeds, a partial sweep says how many runs are missing", () => {
    const dir = mkdtempSync(join(tmpdir(), "sweep-report-"));
    const out = join(dir, "out");
    expect(run(["sweep", "ssn-smoke", "--out", out, "--quiet"]).code).toBe(0);
    const id = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")).runs[3].id;
    rmSync(join(out, "runs", id), { recursive: true });
    const r = run(["report", out, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const rep = lastJson(r.stdout);
    expect(rep).toMatchObject({ command: "report", sweep: "ssn-smoke", runs: 8, complete: 7, missing: 1 });
    expect(rep.conditions.map((c: { label: string }) => c.label)).toEqual([
      "initNoise=0.2, sal=true",
      "initNoise=0.2, sal=false",
      "initNoise=0.8, sal=true",
      "initNoise=0.8, sal=false",
    ]);
    expect(rep.conditions.map((c: { runs: number }) => c.runs)).toEqual([2, 1, 2, 2]);
    const md = readFileSync(join(out, "report", "summary.md"), "utf8");
    expect(md).toContain("7 of 8 runs complete; 1 missing (indices 3)");
    for (const f of ["dkl-initNoise=0.8.svg", "final-dkl-vs-initNoise.svg", "finals.csv", "conditions.json"])
      expect(existsSync(join(out, "report", f)), f).toBe(true);
    expect(
      readFileSync(join(out, "report", "finals.csv"), "utf8")
        .trim()
        .split("\n"),
    ).toHaveLength(8);
  });

  it("bad input: unknown paths, empty grids, too many runs, a missing sweep: one line, exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "sweep-bad-"));
    writeFileSync(join(dir, "a.yaml"), "command: ssn\ngrid:\n  initNoize: [0.1]\n");
    writeFileSync(join(dir, "b.yaml"), "command: ssn\ngrid:\n  sal: []\n");
    writeFileSync(join(dir, "c.yaml"), `command: pair\ngrid:\n  seed: [${Array.from({ length: 2001 }, (_, i) => i).join(", ")}]\n`);
    const cases: [string[], RegExp][] = [
      [["sweep", join(dir, "a.yaml")], /unknown config path 'initNoize' for ssn; allowed: scenario, dim/],
      [["sweep", join(dir, "b.yaml")], /grid\.sal: got \[\]; a grid path needs at least one value/],
      [["sweep", join(dir, "c.yaml"), "--out", join(dir, "o")], /2001 runs is more than 2000; add --yes/],
      [["sweep", join(dir, "nope.yaml")], /sweep: got ".*nope\.yaml"; neither a file nor a preset/],
      [["report", dir], /holds no sweep\.json/],
      [["sweep", "ssn-smoke", "--queue", "http://x"], /--queue: got "http:\/\/x"; a redis:\/\/ or rediss:\/\/ URL/],
    ];
    for (const [args, re] of cases) {
      const r = run(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr).toMatch(re);
    }
    expect(existsSync(join(dir, "o"))).toBe(false);
  });

  it("an unreachable Redis is exit 2 naming the URL within seconds, no hang", () => {
    const t0 = Date.now();
    const r = run(["sweep", "ssn-smoke", "--queue", "redis://127.0.0.1:1", "--out", join(mkdtempSync(join(tmpdir(), "sweep-q-")), "o")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^spike-align: --queue: cannot reach Redis at redis:\/\/127\.0\.0\.1:1 \(/);
    expect(Date.now() - t0).toBeLessThan(15_000);
  });
});
