// The ssn and demo commands end to end through the built CLI (npm test builds first).
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CLI = join(import.meta.dirname, "../../dist/src/cli/main.js");
const SHORT = ["--epochs", "21", "--dur", "20", "--val-step", "10", "--val-factor", "3"];

function run(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 60_000, cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lastJson = (s: string) => JSON.parse(s.trim().split("\n").pop()!);
const tmp = () => mkdtempSync(join(tmpdir(), "sa-ssn-"));

describe("spike-align ssn", () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} missing: run npm run build first`);
  });

  it("--json prints the summary as the last line; --out writes config, metrics, arrays and plots", () => {
    const dir = join(tmp(), "run");
    const r = run(["ssn", ...SHORT, "--out", dir, "--json", "--quiet"]);
    expect(r.code).toBe(0);
    const s = lastJson(r.stdout);
    expect(s).toMatchObject({ command: "ssn", preset: "minimal", sal: true, dim: 7, epochs: 21, backend: "wasm" });
    expect(s.steps).toBe(18 * 1000 + 3 * 3000); // validation epochs 0, 10, 20 run 3x longer
    expect(s.final.dkl).toBeGreaterThan(0);
    expect(s.final.asym).toBeGreaterThan(0);
    expect(s.nsPerStep).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"))).toEqual(s);
    const files = readdirSync(dir);
    for (const f of [
      "config.json",
      "metrics.jsonl",
      "W.npy",
      "b.npy",
      "q.npy",
      "p_target.npy",
      "weights.csv",
      "distribution.csv",
      "dkl.svg",
      "asym.svg",
      "weights.svg",
      "biases.svg",
      "distribution.svg",
    ])
      expect(files).toContain(f);
    expect(files.some((f) => f.endsWith(".tmp"))).toBe(false);
    const metrics = readFileSync(join(dir, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(metrics.map((m) => m.epoch)).toEqual([0, 10, 20]);
    expect(metrics[2].q).toHaveLength(128);
    const npy = readFileSync(join(dir, "W.npy"));
    expect(npy.subarray(1, 6).toString()).toBe("NUMPY");
    expect(npy.toString("latin1")).toContain("'shape': (7, 7)");
  });

  it("dim > 20 runs without DKL and reports marginals and pairwise correlations", () => {
    const dir = join(tmp(), "big");
    const r = run([
      "ssn",
      "--dim",
      "22",
      "--epochs",
      "3",
      "--dur",
      "10",
      "--val-step",
      "2",
      "--val-factor",
      "2",
      "--out",
      dir,
      "--json",
      "--quiet",
    ]);
    expect(r.code).toBe(0);
    const s = lastJson(r.stdout);
    expect(s.final.dkl).toBeNull();
    expect(s.note).toMatch(/DKL skipped: dim 22 > 20/);
    const m = JSON.parse(readFileSync(join(dir, "metrics.jsonl"), "utf8").trim().split("\n")[1]);
    expect(m.marginals).toHaveLength(22);
    expect(m.correlations).toHaveLength(22);
    expect(m.correlations[3][3]).toBe(1);
    for (const row of m.correlations) for (const c of row) expect(Math.abs(c)).toBeLessThanOrEqual(1.5);
  });

  it("--run picks the paper's grid entry; --sal and --noise override", () => {
    const r = run(["ssn", "--preset", "syn-noise", "--run", "85", ...SHORT, "--sal", "on", "--json", "--quiet"]);
    expect(r.code).toBe(0);
    const s = lastJson(r.stdout);
    expect(s.seeds).toEqual({ distr: 4322, init: 9003, sim: 7739 });
    expect(s.sal).toBe(true);
    expect(s.salRate).toBe(0.01);
    const cfgDir = join(tmp(), "c");
    expect(run(["ssn", "--preset", "plast-noise", "--noise", "0.03", ...SHORT, "--out", cfgDir, "--quiet"]).code).toBe(0);
    expect(JSON.parse(readFileSync(join(cfgDir, "config.json"), "utf8")).stdpNoise).toEqual({ ws: 0.03, sal: 0.03 });
  });

  it("accepts the authors' YAML layout as-is and rejects unknown keys by name", () => {
    const dir = tmp();
    const yaml = `dim: 4
seed:
  distr: 11
  init: 12
  sim: 13
distr:
  alpha: 1.0
  beta: 1.0
sim_params:
  t_ref: &tref
    20
  tau_syn: *tref
  num_last_spikes: 1
num_epochs: 11
val_step: 5
val_factor: 2
lr:
  bias: 0.01
  weight: 0.01
  symm: 0.0
dur: 50
init_noise: 0.3
weight_init: 0.2
bias_init: 0.2
max_w: 2.0
max_b: 2.0
stdp:
  num_last_spikes: 1
  ws: {a_plus: 1.0, a_minus: 1.0, tau_plus: *tref, tau_minus: *tref, noise: 0.0}
  sal: {a_plus: 1.0, a_minus: 1.0, tau_plus: *tref, tau_minus: *tref, noise: 0.0}
`;
    writeFileSync(join(dir, "exp.yaml"), yaml);
    const out = join(dir, "out");
    const r = run(["ssn", "--config", join(dir, "exp.yaml"), "--out", out, "--json", "--quiet"]);
    expect(r.code).toBe(0);
    const s = lastJson(r.stdout);
    expect(s).toMatchObject({ dim: 4, epochs: 11, sal: false, seeds: { distr: 11, init: 12, sim: 13 } });
    expect(s.steps).toBe(8 * 1000 + 3 * 2000); // dur 50 x t_ref 20; validation epochs 0, 5, 10 twice as long
    const cfg = JSON.parse(readFileSync(join(out, "config.json"), "utf8"));
    expect(cfg).toMatchObject({
      tRef: 20,
      tauSyn: 20,
      valStep: 5,
      valFactor: 2,
      lr: { weight: 0.01, bias: 0.01 },
      initNoise: 0.3,
      stdpNoise: { ws: 0, sal: 0 },
    });
    writeFileSync(join(dir, "bad.yaml"), yaml.replace("dur: 50", "dur: 50\nwarmup: 3"));
    const bad = run(["ssn", "--config", join(dir, "bad.yaml")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^spike-align: config: unknown key 'warmup'/);
  });

  it("bad input: one line naming the field, exit 2, no files", { tags: ["slow"] }, () => {
    const dir = tmp();
    writeFileSync(join(dir, "broken.yaml"), "dim: [1, 2\n");
    writeFileSync(
      join(dir, "asym.json"),
      JSON.stringify({
        dim: 2,
        target: {
          W: [
            [0, 1],
            [0.5, 0],
          ],
          b: [0, 0],
        },
      }),
    );
    writeFileSync(join(dir, "nan.json"), '{ "lr": { "weight": "NaN" } }');
    const cases: [string[], RegExp][] = [
      [["--dim", "0"], /--dim/],
      [["--t-ref", "0"], /--t-ref/],
      [["--preset", "nope"], /--preset/],
      [["--dim", "25", "--dkl", "on"], /--dkl: got "on"; exact DKL needs dim <= 20/],
      [["--config", join(dir, "broken.yaml")], /not valid YAML/],
      [["--config", join(dir, "missing.yaml")], /cannot read the file/],
      [
        ["--config", join(dir, "asym.json"), "--epochs", "2"],
        /target\.W\[0\]\[1\]: got 1; must equal target\.W\[1\]\[0\] = 0\.5 \(symmetric\)/,
      ],
      [["--config", join(dir, "nan.json")], /lr\.weight: got "NaN"/],
      [["--run", "5"], /--run: got 5; only the syn-noise and plast-noise presets/],
      [["--checkpoint-every", "5"], /needs --out/],
    ];
    for (const [args, re] of cases) {
      const out = join(dir, "never");
      const outArgs = args.includes("--checkpoint-every") ? [] : ["--out", out]; // that case is about the missing --out
      const r = run(["ssn", ...args, ...outArgs]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr, args.join(" ")).toMatch(re);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
      expect(existsSync(out)).toBe(false);
    }
  });

  it("a run killed after a checkpoint and resumed ends as the uninterrupted run", { tags: ["slow"] }, () => {
    const a = join(tmp(), "a"),
      b = join(tmp(), "b");
    const args = [
      "ssn",
      "--epochs",
      "12",
      "--dur",
      "20",
      "--val-step",
      "4",
      "--val-factor",
      "2",
      "--checkpoint-every",
      "5",
      "--quiet",
      "--json",
    ];
    const full = lastJson(run([...args, "--out", a]).stdout);
    expect(run([...args, "--out", b]).code).toBe(0);
    // simulate a crash after the epoch-10 checkpoint: drop everything written at the end
    for (const f of readdirSync(b)) if (!["config.json", "checkpoint.json", "metrics.jsonl"].includes(f)) rmSync(join(b, f));
    expect(JSON.parse(readFileSync(join(b, "checkpoint.json"), "utf8")).epoch).toBe(10);
    const r = run(["ssn", "--resume", b, "--json", "--quiet"]);
    expect(r.code).toBe(0);
    const resumed = lastJson(r.stdout);
    expect(resumed.final).toEqual(full.final);
    expect(resumed.steps).toBe(full.steps);
    expect(readFileSync(join(b, "W.npy"))).toEqual(readFileSync(join(a, "W.npy")));
    expect(readFileSync(join(b, "metrics.jsonl"), "utf8")).toBe(readFileSync(join(a, "metrics.jsonl"), "utf8"));
    expect(run(["ssn", "--resume", join(tmp(), "nothing")]).code).toBe(2);
  });
});

describe("spike-align demo", () => {
  it("runs SAL on and off, prints the table, writes report.md and both runs", { tags: ["slow"] }, () => {
    const dir = tmp();
    const r = run(["demo", "--epochs", "41", "--dur", "40", "--val-step", "20", "--val-factor", "3", "--json", "--quiet"], dir);
    expect(r.code).toBe(0);
    const s = lastJson(r.stdout);
    expect(s.command).toBe("demo");
    expect(s.runs.map((x: { sal: boolean }) => x.sal)).toEqual([true, false]);
    const root = join(dir, "spike-align-demo");
    const report = readFileSync(join(root, "report.md"), "utf8");
    expect(report).toMatch(/\| SAL on \| [\d.]+ \| [\d.]+ \| \d+ \|/);
    expect(report).toMatch(/\| SAL off \| [\d.]+ \| [\d.]+ \| \d+ \|/);
    for (const f of ["dkl.svg", "asym.svg", "summary.json", "sal-on/summary.json", "sal-off/metrics.jsonl"])
      expect(existsSync(join(root, f)), f).toBe(true);
    const text = run(["demo", "--epochs", "5", "--dur", "10", "--val-step", "4", "--val-factor", "2", "--out", join(dir, "t")]);
    expect(text.stdout).toMatch(/run\s+final DKL\s+final ASYM\s+steps\s+wall s\s+ns\/step/);
  });
});
