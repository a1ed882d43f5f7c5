// Resources: work is bounded or visible. Sizes whose estimated memory exceeds
// the machine's or whose first epoch would take over an hour are refused
// (exit 2 with the estimate; --yes runs them); slow runs show an estimate and
// progress within seconds; the wasm memory that cannot be reserved falls back
// to js with one line; a closed stdout is not an error; stdd says when its
// Monte-Carlo comparison means nothing.
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { CLI, cli, cliUnder, entries, expectUsage, tmp, trainData, waitForStderr } from "./cli.js";

const lastJson = (s: string) => JSON.parse(s.trim().split("\n").pop()!);

describe("sizes beyond the machine or an hour per epoch are refused", () => {
  it("microcircuit --dims 4096,4096,4096: exit 2 with the estimate, nothing written", () => {
    const out = join(tmp(), "huge");
    const r = cli(["microcircuit", "--preset", "wide", "--dims", "4096,4096,4096", "--out", out], { timeout: 20_000 });
    expect(r.signal, "ended by itself (not after minutes of silent work)").toBeNull();
    expectUsage(
      r,
      /^spike-align: microcircuit: dims 4096,4096,4096: about [\d.]+ GB of memory and [\d.]+ days for the first epoch \(estimated; this machine has [\d.]+ GB\); add --yes/,
    );
    expect(entries(out)).toBeNull();
  });

  it("train --hidden 65536,65536: exit 2 with the estimate, nothing written", () => {
    const out = join(tmp(), "wide");
    const r = cli(["train", "--preset", "quick", "--data", trainData(), "--hidden", "65536,65536", "--backend", "js", "--out", out], {
      timeout: 20_000,
    });
    expect(r.signal, "ended by itself").toBeNull();
    expectUsage(
      r,
      /^spike-align: train: mlp fc 784-65536-65536-10, batch 128, 300 images: about [\d.]+ GB of memory and [\d.]+ (min|h|days) for the first epoch \(estimated; this machine has [\d.]+ GB\); add --yes/,
    );
    expect(entries(out)).toBeNull();
    // on wasm the weights alone exceed wasm32's memory, --yes or not
    expectUsage(
      cli(["train", "--preset", "quick", "--data", trainData(), "--hidden", "65536,65536", "--yes"], { timeout: 20_000 }),
      /train: .* needs about [\d.]+ GB of wasm memory, more than wasm32's 4 GB; use --backend js or a smaller size/,
    );
  });

  it("align --layers 4000,4000,4000 --batch 64: an epoch of hours is refused with its estimate", () => {
    const r = cli(["align", "--layers", "4000,4000,4000", "--batch", "64"], { timeout: 20_000 });
    expect(r.signal, "ended by itself").toBeNull();
    expectUsage(
      r,
      /^spike-align: align: layers 4000,4000,4000, batch 64: about [\d.]+ GB of memory and [\d.]+ (min|h|days) for the first epoch \(estimated; .*\); add --yes/,
    );
  });

  it("stdd: a phase plane of exact chains at t_ref 500 is refused with its estimate", () => {
    expectUsage(
      cli(["stdd", "--preset", "fig2e", "--t-ref", "500", "--tau-syn", "500"], { timeout: 20_000 }),
      /stdd: 289 weight pairs at t_ref 500 \(exact\): about [\d.]+ (min|h) for the run \(estimated\); add --yes/,
    );
  });
});

describe("slow work shows an estimate and progress within seconds", () => {
  it("microcircuit at 64,64,64: an estimate at once, then progress per pattern", async () => {
    const r = await waitForStderr(
      ["microcircuit", "--preset", "wide", "--dims", "64,64,64", "--epochs", "1"],
      /microcircuit: \d+\/\d+ \(\d+%\)/,
      20_000,
    );
    expect(r.stderr).toMatch(
      /^microcircuit: dims 64,64,64: about .* for the first epoch, .* per pattern \(estimated\); progress follows\n/,
    );
    expect(r.seen, `a progress line within 20 s (stderr: ${r.stderr})`).toBe(true);
  });

  it("train with a SAL phase: the estimate and the phase are announced before the first batch", async () => {
    const r = await waitForStderr(
      ["train", "--preset", "quick", "--method", "sal", "--data", trainData()],
      /train: epoch 1\/2: SAL phase \(about .*\)\n/,
      10_000,
    );
    expect(r.seen, `the phase line within 10 s (stderr: ${r.stderr})`).toBe(true);
    expect(r.stderr).toMatch(
      /^train: mlp fc 784-1024-384-192-10, batch 128, 300 images: about .* for the first epoch \(its SAL phase about .*\), .* per batch \(estimated\); progress follows\n/,
    );
  });

  it("stdd with t_ref 500: an estimate before the long exact chain", async () => {
    const r = await waitForStderr(
      ["stdd", "--t-ref", "500", "--tau-syn", "500", "--w01", "0.5", "--w10", "1"],
      /about .* for the run/,
      8_000,
    );
    expect(r.seen, `an estimate within 8 s (stderr: ${r.stderr})`).toBe(true);
    expect(r.stderr).toMatch(/^stdd: 1 weight pair at t_ref 500 \(exact\): about [\d.]+ s for the run, [\d.]+ s per pair \(estimated\)/);
  });

  it("--teacher-pattern-steps shortens the teacher's patterns; --pattern-steps says what it covers", () => {
    const r = cli([
      "microcircuit",
      "--preset",
      "quick",
      "--epochs",
      "1",
      "--pattern-steps",
      "3000",
      "--learning-lag",
      "500",
      "--teacher-pattern-steps",
      "2000",
      "--json",
      "--quiet",
    ]);
    expect(r.code, r.stderr).toBe(0);
    // the paper task: 8 training and 6 validation inputs; an epoch is 20 training + 6 validation patterns
    expect(lastJson(r.stdout).steps).toBe(14 * 2000 + 26 * 3000);
    const help = cli(["microcircuit", "--help"]).stdout;
    expect(help).toMatch(/--pattern-steps <n>\s+steps per student pattern .*the\s+teacher's: --teacher-pattern-steps/s);
  });
});

describe("the wasm memory cannot be reserved", () => {
  it("falls back to js with one warning line", () => {
    const r = cliUnder("ulimit -v 4000000; exec", ["pair", "--preset", "quick", "--epochs", "20", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const other = r.stderr.split("\n").filter((l) => l && !/^pair: \d+\/\d+/.test(l));
    expect(other).toHaveLength(1);
    expect(other[0]).toMatch(/^spike-align: cannot reserve WebAssembly memory .*; using the js backend/);
    expect(lastJson(r.stdout)).toMatchObject({ command: "pair", backend: "js", epochs: 20 });
  });
});

describe("a closed stdout is not an error", () => {
  for (const args of [["--help"], ["microcircuit", "--help"], ["pair", "--preset", "quick", "--epochs", "3", "--json"]]) {
    it(`spike-align ${args.join(" ")} | (reader gone)`, async () => {
      const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      child.stdout.destroy(); // the reader is gone before anything is written
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      const code = await new Promise((res) => child.on("exit", (c) => res(c)));
      expect(
        stderr.split("\n").filter((l) => l && !/^pair: \d+\/\d+/.test(l)),
        stderr,
      ).toEqual([]);
      expect(code).toBe(0);
    });
  }
});

describe("stdd --method both with saturated neurons", () => {
  for (const [b, re] of [
    ["20", /fires with probability 1\.00 per allowed step/],
    ["-20", /only \d+ spike pairs counted/],
  ] as const) {
    it(`biases ${b}: the comparison is called meaningless, no TVD`, () => {
      const r = cli([
        "stdd",
        "--b0",
        b,
        "--b1",
        b,
        "--w01",
        "0.5",
        "--w10",
        "0.5",
        "--method",
        "both",
        "--steps",
        "200000",
        "--json",
        "--quiet",
      ]);
      expect(r.code, r.stderr).toBe(0);
      const row = lastJson(r.stdout).results[0];
      expect(row.tvd).toBeUndefined();
      expect(row.tvdSkipped).toMatch(/^Monte-Carlo comparison meaningless here: /);
      expect(row.tvdSkipped).toMatch(re);
    });
  }
});
