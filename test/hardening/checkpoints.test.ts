// Checkpoints: one versioned format validated against a schema built from the
// run's config (src/checkpoint/format.ts, src/experiments/*/checkpoint.ts):
// wrong types, missing fields, lengths that do not match dim, non-finite
// values, rng streams of zeros or strings, epochs or steps outside the run are
// exit 2 naming the field, and the directory is left as it was. Flags that
// would change a resumed run are refused; demo refuses options it does not
// use. microcircuit resumes after kill -9 to byte-identical outputs.
import { beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CLI, cli, entries, expectUsage, tmp, TRAIN } from "./cli.js";

// the cases below reach into a checkpoint's JSON by whatever path they corrupt
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of any shape

const SSN = ["ssn", "--epochs", "12", "--dur", "20", "--val-step", "4", "--val-factor", "2", "--checkpoint-every", "5", "--quiet"];

/** A copy of `dir` whose checkpoint.json is `mutate`d (a string replaces the file's text). */
function corrupt(dir: string, mutate: (ck: Json) => Json | string | void): string {
  const copy = join(tmp(), "copy");
  cpSync(dir, copy, { recursive: true });
  const ck = JSON.parse(readFileSync(join(copy, "checkpoint.json"), "utf8"));
  const r = mutate(ck);
  writeFileSync(join(copy, "checkpoint.json"), typeof r === "string" ? r : JSON.stringify(r ?? ck));
  return copy;
}

/** The files of a directory (and its subdirectories) with their contents. */
function snapshot(dir: string): Map<string, string> {
  return new Map(
    readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((f) => statSync(join(dir, f)).isFile())
      .map((f) => [f, readFileSync(join(dir, f), "latin1")]),
  );
}

describe("ssn: a corrupt checkpoint is exit 2 naming the field; the directory stays as it was", () => {
  let run = "";
  beforeAll(() => {
    run = join(tmp(), "ssn");
    const r = cli([...SSN, "--out", run]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(run, "checkpoint.json"), "utf8"))).toMatchObject({
      format: "spike-align-checkpoint",
      version: 1,
      command: "ssn",
      epoch: 10,
    });
  });
  const cases: [string, (ck: Json) => Json | string | void, RegExp][] = [
    [
      "an rng of zeros",
      (ck) => {
        ck.rng = ck.rng.map(() => 0);
      },
      /checkpoint\.json rng: .*stream 0 is all zeros/,
    ],
    [
      "one rng stream of zeros",
      (ck) => {
        for (let w = 0; w < 4; w++) ck.rng[w * 8 + 6] = 0;
      },
      /rng: .*stream 6 is all zeros/,
    ],
    [
      "rng words as strings",
      (ck) => {
        ck.rng = ck.rng.map(String);
      },
      /rng\[0\]: got "\d+"; must be an integer in \[0, 4294967295\]/,
    ],
    [
      "W all null",
      (ck) => {
        ck.W = ck.W.map(() => null);
      },
      /W\[0\]: got null; must be a finite number in \[-2, 2\]/,
    ],
    [
      "W shorter than dim x dim",
      (ck) => {
        ck.W = ck.W.slice(0, 10);
      },
      /W: got a list of 10; has 10 values; must have 49/,
    ],
    [
      "a bias beyond the clip",
      (ck) => {
        ck.b[3] = 1e300;
      },
      /b\[3\]: got 1e\+300; must be a finite number in \[-2, 2\]/,
    ],
    [
      "an epoch beyond the run",
      (ck) => {
        ck.epoch = 99999999;
      },
      /epoch: got 99999999; must be an integer in \[1, 11\]/,
    ],
    [
      "a negative epoch",
      (ck) => {
        ck.epoch = -1;
      },
      /epoch: got -1/,
    ],
    [
      "steps that do not fit the epoch",
      (ck) => {
        ck.steps += 1;
      },
      /steps: got \d+; must be \d+, the steps of epochs 0\.\.9/,
    ],
    [
      "metrics lines missing",
      (ck) => {
        ck.metrics = ck.metrics.slice(1);
      },
      /metrics: .*must hold the validation epochs 0, 4, 8/,
    ],
    [
      "a missing field",
      (ck) => {
        delete ck.b;
      },
      /checkpoint\.json b: got nothing/,
    ],
    [
      "an unknown field",
      (ck) => {
        ck.extra = 1;
      },
      /unknown key 'extra'/,
    ],
    ["null", () => "null", /checkpoint\.json: got null; a checkpoint is a JSON object/],
    ["truncated JSON", (ck) => JSON.stringify(ck).slice(0, 300), /checkpoint\.json: not valid JSON/],
    [
      "no format (an older version's)",
      (ck) => {
        delete ck.format;
      },
      /not a spike-align checkpoint \(no "format"/,
    ],
    [
      "another version",
      (ck) => {
        ck.version = 2;
      },
      /version: got 2; must be 1/,
    ],
    [
      "another command's",
      (ck) => {
        ck.command = "microcircuit";
      },
      /a checkpoint of `microcircuit`, not of `ssn`/,
    ],
  ];
  for (const [what, mutate, re] of cases) {
    it(what, () => {
      const dir = corrupt(run, mutate);
      const before = snapshot(dir);
      expectUsage(cli(["ssn", "--resume", dir]), re, what);
      expect(snapshot(dir)).toEqual(before);
    });
  }

  it("flags that would change the run are refused with --resume; --epochs must extend it", () => {
    const dir = corrupt(run, () => undefined);
    for (const flag of [
      ["--dim", "5"],
      ["--preset", "syn-noise"],
      ["--sal", "off"],
      ["--t-ref", "20"],
      ["--out", join(dir, "x")],
      ["--checkpoint-every", "1"],
    ]) {
      expectUsage(
        cli(["ssn", "--resume", dir, ...flag]),
        new RegExp(`^spike-align: ${flag[0]}: cannot be combined with --resume .*allowed with --resume: --epochs, --backend`),
        flag[0],
      );
    }
    expectUsage(
      cli(["ssn", "--resume", dir, "--epochs", "9"]),
      /--epochs: got 9; with --resume: more than the 10 epochs the checkpoint has done/,
    );
    const r = cli(["ssn", "--resume", dir, "--epochs", "14", "--json", "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split("\n").pop()!)).toMatchObject({ epochs: 14, final: { epoch: 13 } });
  });

  it("demo refuses the options it does not use", () => {
    for (const flag of [
      ["--checkpoint-every", "5"],
      ["--sal", "off"],
      ["--resume", "x"],
    ]) {
      expectUsage(cli(["demo", ...flag, "--out", join(tmp(), "d")]), new RegExp(`unknown option '${flag[0]}'`), flag[0]);
    }
  });
});

const MC = ["microcircuit", "--preset", "quick", "--feedback", "all", "--epochs", "6", "--checkpoint-every", "2", "--quiet"];

/** The outputs that must match byte for byte (timing fields of summary.json aside). */
function outputs(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".svg") || f === "metrics.jsonl")) m.set(f, readFileSync(join(dir, f), "utf8"));
  const s = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
  delete s.seconds;
  delete s.nsPerStep;
  m.set("summary.json", JSON.stringify(s));
  return m;
}

describe("microcircuit checkpoints", () => {
  let run = "";
  beforeAll(() => {
    run = join(tmp(), "mc");
    const r = cli([...MC, "--out", run]);
    expect(r.code, r.stderr).toBe(0);
  });

  it("a crash after a checkpoint: --resume ends with the same outputs", () => {
    const ck = JSON.parse(readFileSync(join(run, "checkpoint.json"), "utf8"));
    expect(ck).toMatchObject({ command: "microcircuit", condition: 2, seedIndex: 0, current: { epoch: 4 } });
    expect(ck.done.map((r: Json) => r.feedback)).toEqual(["bp", "fa"]);
    const dir = join(tmp(), "crashed");
    cpSync(run, dir, { recursive: true });
    // what a crash after the last checkpoint leaves: config, checkpoint and the metrics lines so far
    for (const f of readdirSync(dir))
      if (!["config.json", "checkpoint.json", "metrics.jsonl", ".spike-align-run.json"].includes(f)) rmSync(join(dir, f));
    const lines = readFileSync(join(dir, "metrics.jsonl"), "utf8").split("\n");
    writeFileSync(join(dir, "metrics.jsonl"), lines.slice(0, lines.length - 3).join("\n") + "\n");
    const r = cli(["microcircuit", "--resume", dir, "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    expect(outputs(dir)).toEqual(outputs(run));
  });

  const cases: [string, (ck: Json) => void, RegExp][] = [
    [
      "a random stream of zeros",
      (ck) => {
        ck.current.net.U.base64 = Buffer.alloc(ck.current.net.U.length * 4).toString("base64");
      },
      /current\.net\.U: .*stream 0 is all zeros/,
    ],
    [
      "a NaN weight in F",
      (ck) => {
        const f = Buffer.from(ck.current.net.F.base64, "base64");
        f.writeFloatLE(NaN, 16 * 4);
        ck.current.net.F.base64 = f.toString("base64");
      },
      /current\.net\.F: .*element 16 is NaN; must be finite/,
    ],
    [
      "a buffer of another size",
      (ck) => {
        ck.current.net.D.length += 1;
      },
      /current\.net\.D\.length: .*must be \d+/,
    ],
    [
      "a finished run missing",
      (ck) => {
        ck.done.pop();
      },
      /done: .*must hold the 2 runs before condition 2/,
    ],
    [
      "a position outside the experiment",
      (ck) => {
        ck.seedIndex = 3;
      },
      /seedIndex: got 3; must be an integer in \[0, 0\]/,
    ],
    [
      "an order stream out of step",
      (ck) => {
        ck.current.orderDraws += 1;
      },
      /orderDraws: .*must be 80 \(lenEpoch x epochs done\)/,
    ],
  ];
  for (const [what, mutate, re] of cases) {
    it(what, () => {
      const dir = corrupt(run, mutate);
      expectUsage(cli(["microcircuit", "--resume", dir]), re, what);
    });
  }

  it("kill -9 in the middle and --resume: byte-identical outputs", { tags: ["slow"] }, async () => {
    const args = [
      "microcircuit",
      "--preset",
      "paper",
      "--feedback",
      "all",
      "--seeds",
      "2",
      "--epochs",
      "30",
      "--checkpoint-every",
      "3",
      "--quiet",
    ];
    const full = join(tmp(), "full"),
      killed = join(tmp(), "killed");
    expect(cli([...args, "--out", full]).code).toBe(0);
    const child = spawn(process.execPath, [CLI, ...args, "--out", killed], { stdio: "ignore" });
    const exited = new Promise((res) => child.on("exit", res));
    // kill as soon as a checkpoint of a later run exists
    for (let i = 0; i < 2000; i++) {
      const p = join(killed, "checkpoint.json");
      if (existsSync(p)) {
        try {
          if (JSON.parse(readFileSync(p, "utf8")).done.length >= 1) break;
        } catch {
          // being replaced: look again
        }
      }
      await new Promise((res) => setTimeout(res, 5));
    }
    child.kill("SIGKILL");
    await exited;
    expect(existsSync(join(killed, "summary.json"))).toBe(false);
    const r = cli(["microcircuit", "--resume", killed, "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    expect(outputs(killed)).toEqual(outputs(full));
    expect(entries(killed)!.filter((f) => f.endsWith(".tmp") || f === ".spike-align.lock")).toEqual([]);
  });
});

/** checkpoint.ckpt split into its JSON header and the tensor data after it. */
function splitCkpt(bytes: Buffer): { head: Json; data: Buffer } {
  const hl = bytes.readUInt32LE(4);
  return { head: JSON.parse(bytes.subarray(8, 8 + hl).toString("utf8")), data: bytes.subarray(8 + hl) };
}

/** checkpoint.ckpt from a header and tensor data (the layout of src/experiments/train/checkpoint.ts). */
function joinCkpt(head: Json, data: Buffer): Buffer {
  let h = Buffer.from(JSON.stringify(head));
  h = Buffer.concat([h, Buffer.alloc((4 - ((8 + h.length) % 4)) % 4, 0x20)]);
  const pre = Buffer.alloc(8);
  pre.write("SACK");
  pre.writeUInt32LE(h.length, 4);
  return Buffer.concat([pre, h, data]);
}

describe("train: checkpoint.ckpt is validated on --resume; a bad state is never written", () => {
  let run = "";
  beforeAll(() => {
    run = join(tmp(), "train");
    const r = cli([...TRAIN(), "--epochs", "2", "--checkpoint-every", "1", "--out", run]);
    expect(r.code, r.stderr).toBe(0);
    expect(splitCkpt(readFileSync(join(run, "checkpoint.ckpt"))).head).toMatchObject({
      format: "spike-align-checkpoint",
      version: 1,
      command: "train",
      state: { epoch: 2 },
    });
  });
  const copy = (mutate: (ck: { head: Json; data: Buffer }, bytes: Buffer) => Buffer | void) => {
    const dir = join(tmp(), "copy");
    cpSync(run, dir, { recursive: true });
    const bytes = readFileSync(join(dir, "checkpoint.ckpt"));
    const ck = splitCkpt(bytes);
    writeFileSync(join(dir, "checkpoint.ckpt"), mutate(ck, bytes) ?? joinCkpt(ck.head, ck.data));
    return dir;
  };
  const cases: [string, (ck: { head: Json; data: Buffer }, bytes: Buffer) => Buffer | void, RegExp][] = [
    [
      "not a checkpoint",
      (_ck, b) => Buffer.concat([Buffer.from("XXXX"), b.subarray(4)]),
      /checkpoint\.ckpt: not a spike-align training checkpoint \(bad magic\)/,
    ],
    ["truncated", (_ck, b) => b.subarray(0, b.length - 100), /checkpoint\.ckpt: truncated at tensor /],
    [
      "no format (an older version's)",
      (ck) => {
        delete ck.head.format;
      },
      /not a spike-align checkpoint \(no "format"/,
    ],
    [
      "another version",
      (ck) => {
        ck.head.version = 2;
      },
      /checkpoint\.ckpt version: got 2; must be 1/,
    ],
    [
      "another command's",
      (ck) => {
        ck.head.command = "ssn";
      },
      /a checkpoint of `ssn`, not of `train`/,
    ],
    [
      "an epoch beyond the run",
      (ck) => {
        ck.head.state.epoch = 99;
      },
      /state\.epoch: got 99; must be an integer in \[1, 2\]/,
    ],
    [
      "metrics lines missing",
      (ck) => {
        ck.head.state.metrics.pop();
      },
      /state\.metrics: .*must hold the metrics of epochs 1\.\.2/,
    ],
    [
      "tensors of another network",
      (ck) => {
        ck.head.tensors[0][0] = "fc9.W";
      },
      /tensors\[0\]: got \["fc9\.W",\d+\]; does not match config\.json: its network has \S+ of \d+ values there/,
    ],
    [
      "a NaN in a tensor",
      (ck) => {
        ck.data.writeFloatLE(NaN, 64);
      },
      /checkpoint\.ckpt tensors: \S+\[\d+\] is NaN; a checkpoint holds finite values only/,
    ],
    [
      "an unknown field",
      (ck) => {
        ck.head.extra = 1;
      },
      /unknown key 'extra'/,
    ],
  ];
  for (const [what, mutate, re] of cases) {
    it(what, () => {
      const dir = copy(mutate);
      const before = snapshot(dir);
      expectUsage(cli(["train", "--resume", dir, "--epochs", "3"]), re, what);
      expect(snapshot(dir)).toEqual(before);
    });
  }

  it("flags that would change the run are refused with --resume; --epochs must extend it", () => {
    const dir = copy(() => undefined);
    for (const flag of [
      ["--lr", "0.5"],
      ["--hidden", "8"],
      ["--method", "fa"],
      ["--out", join(dir, "x")],
      ["--backend", "js"],
      ["--checkpoint-every", "2"],
    ]) {
      expectUsage(
        cli(["train", "--resume", dir, ...flag]),
        new RegExp(`^spike-align: ${flag[0]}: cannot be combined with --resume .*allowed with --resume: --epochs, --data, --yes`),
        flag[0],
      );
    }
    expectUsage(
      cli(["train", "--resume", dir, "--epochs", "2"]),
      /--epochs: got 2; with --resume: more than the 2 epochs the checkpoint has done/,
    );
  });
});

describe("train: a state that turns non-finite is never written as a checkpoint", () => {
  it("a state that turns non-finite stops the run at that epoch; the checkpoint before it stays", () => {
    const out = join(tmp(), "diverge");
    // plain cross-entropy at lr 2 and momentum 0.99: a batch-norm variance overflows in the second epoch
    const r = cli([
      ...TRAIN(),
      "--batch",
      "8",
      "--no-double-softmax",
      "--lr",
      "2",
      "--momentum",
      "0.99",
      "--epochs",
      "3",
      "--checkpoint-every",
      "1",
      "--out",
      out,
    ]);
    expectUsage(
      r,
      /^spike-align: (train: \S+ is (-?Infinity|NaN) at epoch (\d+); the run stops \(the last good checkpoint is kept: .*checkpoint\.ckpt \(epoch \d+\)\)|training diverged: .*; the last good checkpoint \(epoch \d+\) is kept in .*checkpoint\.ckpt)/,
    );
    const kept = splitCkpt(readFileSync(join(out, "checkpoint.ckpt")));
    expect(kept.head.state.epoch).toBeGreaterThanOrEqual(1);
    expect(r.stderr).toContain(`(epoch ${kept.head.state.epoch})`);
    const f = new Float32Array(kept.data.buffer.slice(kept.data.byteOffset, kept.data.byteOffset + kept.data.length));
    expect(f.every(Number.isFinite), "the kept checkpoint holds finite values").toBe(true);
  });
});
