// Numbers: every numeric input (flag, config field, explicit array) is checked
// where it enters against one table of bounds (src/config/numbers.ts): exit 2,
// one line naming the field and the allowed range, nothing written. A run
// whose state turns non-finite anyway stops with exit 2 naming the quantity
// and the epoch, keeping the last good checkpoint.
import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, entries, expectUsage, tmp } from "./cli.js";
import { cliHooks } from "../../src/cli/progress.js";
import { Checkpointer } from "../../src/checkpoint/files.js";
import { RunDir } from "../../src/io/rundir.js";
import { firstNonFinite } from "../../src/config/numbers.js";
import { UsageError } from "../../src/errors.js";

describe("bad numbers are exit 2 before anything is written", () => {
  const dir = tmp();
  const file = (name: string, content: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
    return p;
  };
  const cases: [string, string[], RegExp][] = [
    ["pair weight beyond the bound", ["pair", "--w01", "1e308"], /--w01.*1e308.*finite number in \[-20, 20\] \(weight\)/],
    ["pair learning rate", ["pair", "--lr", "1e308"], /--lr.*in \[0, 100\] \(learning rate\)/],
    ["pair weight like stdd's", ["pair", "--w10", "25"], /--w10.*\[-20, 20\]/],
    ["microcircuit --eta-b", ["microcircuit", "--eta-b", "1e308"], /--eta-b.*\[0, 100\]/],
    ["microcircuit --eta-hidden", ["microcircuit", "--eta-hidden", "Infinity"], /--eta-hidden.*\[0, 100\]/],
    [
      "seed range past 2^32",
      ["microcircuit", "--preset", "quick", "--seed", "4294967295", "--seeds", "2"],
      /seeds: got 2; seed 4294967295 with 2 seeds runs up to seed 4294967296/,
    ],
    ["--val-step beyond its maximum", ["ssn", "--val-step", "1e308"], /--val-step.*integer in \[1, 1e8\]/],
    [
      "steps of a validation epoch beyond one kernel run",
      ["ssn", "--dur", "10000000", "--t-ref", "1000"],
      /dur: got 10000000; .*at most 2\^30-1/,
    ],
    [
      "microcircuit run beyond the 32-bit clock",
      ["microcircuit", "--epochs", "100000000"],
      /epochs: got 100000000; .*the kernels count time in 32 bits/,
    ],
    [
      "ssn init.b 1e300",
      [
        "ssn",
        "--config",
        file("b.json", {
          dim: 3,
          init: {
            W: [
              [0, 0, 0],
              [0, 0, 0],
              [0, 0, 0],
            ],
            b: [1e300, 0, 0],
          },
        }),
      ],
      /init\.b\[0\]: got 1e\+300; must be a finite number in \[-20, 20\] \(bias\)/,
    ],
    [
      "pair W 1e39 (beyond f32)",
      [
        "pair",
        "--config",
        file("w.json", {
          W: [
            [0, 1e39],
            [1, 0],
          ],
        }),
      ],
      /W\[0\]\[1\]: got 1e\+39; must be a finite number in \[-20, 20\]/,
    ],
    ["pair b 1e39", ["pair", "--config", file("pb.json", { b: [1e39, 0] })], /b\[0\]: got 1e\+39/],
    [
      "ssn amplitude 1e300",
      [
        "ssn",
        "--config",
        file(
          "a.yaml",
          "dim: 2\namplitudes:\n  ws: {causal: [[0, 1e300], [1, 0]], anti: [[0, 1], [1, 0]]}\n" +
            "  sal: {causal: [[0, -1], [-1, 0]], anti: [[0, 1], [1, 0]]}\n",
        ),
      ],
      /amplitudes\.ws\.causal\[0\]\[1\]: got 1e\+300; .*\[-1000, 1000\]/,
    ],
    [
      "ragged matrix names its row",
      [
        "ssn",
        "--config",
        file("r.json", {
          dim: 3,
          init: {
            W: [
              [0, 1, 0],
              [1, 0, 0],
              [0, 0],
            ],
            b: [0, 0, 0],
          },
        }),
      ],
      /init\.W\[2\]: .*row 2 has 2 values, row 0 has 3/,
    ],
    [
      "matrix of the wrong size",
      [
        "ssn",
        "--config",
        file("s.json", {
          dim: 3,
          target: {
            W: [
              [0, 1],
              [1, 0],
            ],
            b: [0, 0, 0],
          },
        }),
      ],
      /target\.W: .*has 2 rows; must be 3 x 3 \(dim 3\)/,
    ],
    [
      "stdd grid beyond the weight bound",
      ["stdd", "--config", file("g.json", { grid: { min: -30, max: 2, step: 1 } })],
      /grid\.min: got -30/,
    ],
    [
      "a string where a number goes",
      ["ssn", "--config", file("n.json", { lr: { weight: "NaN" } })],
      /lr\.weight: got "NaN"; must be a finite number in \[0, 100\]/,
    ],
    ["empty --config", ["ssn", "--config", ""], /--config.*empty string is not a path/],
    ["empty --out", ["pair", "--out", ""], /--out.*empty string is not a path/],
    ["empty --resume", ["ssn", "--resume", ""], /--resume.*empty string is not a path/],
  ];
  for (const [what, args, re] of cases) {
    it(what, () => {
      const out = join(dir, "never");
      const r = cli([...args, ...(args.includes("--out") ? [] : ["--out", out])]);
      expectUsage(r, re, what);
      expect(entries(out), `${what}: no output directory`).toBeNull();
    });
  }
});

describe("train, align, infer, ei, sweep: bad numbers are exit 2 before anything is written", () => {
  const dir = tmp();
  const file = (name: string, content: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify(content));
    return p;
  };
  const cases: [string, string[], RegExp][] = [
    [
      "train: a SAL phase with more populations than its network holds",
      ["train", "--preset", "quick", "--method", "sal", "--hidden", "8,8,8,8,8,8,8"],
      /hidden: got \[8,8,8,8,8,8,8\]; has 7 layers; the SAL phase's network holds at most 8 populations/,
    ],
    [
      "train: an RDD phase shorter than its driven populations",
      ["train", "--config", file("rdd.json", { preset: "quick", method: "rdd", rdd: { seconds: 0.0001 } })],
      /rdd\.seconds: got 0\.0001; must be a finite number in \[0\.1, 100000\] \(simulated seconds\)/,
    ],
    [
      "train: a SAL window of three t_ref",
      ["train", "--config", file("win.json", { preset: "quick", method: "sal", sal: { bufferLength: 3 } })],
      /sal\.bufferLength: got 3; must be an integer in \[1, 2\] \(window length\)/,
    ],
    ["train: an empty --resume", ["train", "--resume", ""], /--resume.*empty string is not a path/],
    ["align: a negative SAL rate", ["align", "--sal-lr", "-1"], /--sal-lr.*finite number in \[0, 100\] \(learning rate\)/],
    [
      "align: more steps than the network's clock counts",
      ["align", "--epochs", "1000000"],
      /epochs: got 1000000; epochs x stepsPerEpoch must stay <= 1073741823 \(2\^30-1\)/,
    ],
    [
      "infer: a SAL rate of 1e308",
      ["infer", "--config", file("infer.json", { sal: { salLr: 1e308 } })],
      /sal\.salLr: got 1e\+308; must be a finite number in \[0, 100\]/,
    ],
    [
      "infer: a negative STDWI decay",
      ["infer", "--config", file("decay.json", { stdwi: { decay: -1 } })],
      /stdwi\.decay: got -1; must be a finite number in \[0, 100\] \(decay\)/,
    ],
    ["ei: an empty part of --grid", ["ei", "--grid", "0,,0.1"], /--grid.*max must be a finite number in \[-20, 20\] \(weight\)/],
    ["sweep: an empty #SBATCH --time", ["sweep", "ssn-smoke", "--emit", "slurm", "--time", ""], /--time.* takes one token/],
  ];
  for (const [what, args, re] of cases) {
    it(what, () => {
      const out = join(dir, "never");
      // today's code runs some of these for minutes: 20 s is plenty for a refusal
      const r = cli([...args, ...(args.includes("--out") ? [] : ["--out", out])], { timeout: 20_000 });
      expectUsage(r, re, what);
      expect(entries(out), `${what}: no output directory`).toBeNull();
    });
  }
});

describe("--help of the other commands shows their bounds", () => {
  // the row of a flag: its range and the quantity's name from the table of bounds
  for (const [cmd, flag, row] of [
    ["train", "--lr", /real >0\.\.100 \(f32\)\s+SGD learning rate$/],
    ["train", "--momentum", /real 0\.\.<1 \(f32\)\s+momentum$/],
    ["align", "--layers (each)", /integer 1\.\.1048576\s+population size$/],
    ["infer", "--seconds", /real 0\.001\.\.100000\s+simulated seconds$/],
    ["ei", "--w12", /real -20\.\.20 \(f32\)\s+weight$/],
    ["sweep", "--workers", /integer 1\.\.1024\s+threads$/],
    ["sweep-task", "--index", /integer 0\.\.1e9\s+run index$/],
    ["worker", "--concurrency", /integer 1\.\.64\s+concurrency$/],
  ] as const) {
    it(`${cmd} ${flag}`, () => {
      const r = cli([cmd, "--help"]);
      expect(r.code).toBe(0);
      const table = r.stdout.slice(r.stdout.indexOf("\nBounds"));
      expect(table).toMatch(/^\nBounds/);
      expect(
        table.split("\n").find((l) => l.trimStart().startsWith(flag)),
        `${cmd}: row of ${flag}`,
      ).toMatch(row);
    });
  }
});

describe("--help shows each command's table of bounds", () => {
  for (const [cmd, flag, range] of [
    ["pair", "--w01, --w10", "real -20..20 (f32)"],
    ["stdd", "--w01, --w10", "real -20..20 (f32)"],
    ["ssn", "--val-step", "integer 1..1e8"],
    ["demo", "--dim", "integer 1..64"],
    ["microcircuit", "--eta-hidden, --eta-output, --eta-b", "real 0..100 (f32)"],
  ] as const) {
    it(cmd, () => {
      const r = cli([cmd, "--help"]);
      expect(r.code).toBe(0);
      const table = r.stdout.slice(r.stdout.indexOf("\nBounds"));
      expect(table).toMatch(/^\nBounds/);
      const row = table.split("\n").find((l) => l.trimStart().startsWith(flag));
      expect(row, `${cmd}: row of ${flag}`).toContain(range);
      expect(table).toMatch(/^\s+--seed\b.*integer 0\.\.2\^32-1/m);
    });
  }
});

describe("a state that turns non-finite stops the run (exit 2) and keeps the last good checkpoint", () => {
  it("the metrics guard names the quantity and the epoch; the checkpointer refuses the bad state", () => {
    const dir = join(tmp(), "run");
    const out = RunDir.open(dir, { command: "test" });
    try {
      const ck = new Checkpointer<{ epoch: number; W: number[] }>(out, "test", (s) => firstNonFinite({ W: s.W }, true));
      ck.write("js", { epoch: 5, W: [0.5, -0.5] }, 5);
      const good = readFileSync(join(dir, "checkpoint.json"), "utf8");
      expect(() => ck.write("js", { epoch: 10, W: [0.5, NaN] }, 10)).toThrow(
        /^test: W\[1\] is NaN at epoch 10; the run stops \(the last good checkpoint is kept: .*checkpoint\.json \(epoch 5\)\)/,
      );
      expect(() => ck.write("js", { epoch: 10, W: [4e38, 0] }, 10)).toThrow(/W\[0\] is 4e\+38 \(beyond the f32 range\)/);
      expect(readFileSync(join(dir, "checkpoint.json"), "utf8")).toBe(good);
      const hooks = cliHooks<{ epoch: number; W01: number }>({ quiet: true }, out, "pair", 10, {
        check: (m) => firstNonFinite({ W01: m.W01 }, true),
        epoch: (m) => m.epoch,
        checkpoint: ck,
      });
      hooks.onMetrics({ epoch: 1, W01: 1.5 });
      let err: unknown;
      try {
        hooks.onMetrics({ epoch: 2, W01: -Infinity });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(/^test: W01 is -Infinity at epoch 2; the run stops \(the last good checkpoint is kept/);
      // the bad line never reaches metrics.jsonl
      expect(readFileSync(join(dir, "metrics.jsonl"), "utf8")).toBe('{"epoch":1,"W01":1.5}\n');
    } finally {
      out.close();
    }
  });
});
