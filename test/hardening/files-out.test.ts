// Files out, one protocol for every command (src/io/rundir.ts): --out is
// checked before the run (exit 2 with the path and the reason, never a hang);
// a write that fails mid-run is exit 2 with the path and the reason and leaves
// no temporary files and whole lines; a directory holding another run's
// outputs needs --force, which removes exactly that run's files; a lock with
// the writer's PID keeps a second process out, and a dead writer's lock is
// taken over.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { CLI, cli, cliUnder, entries, expectUsage, tmp, TRAIN } from "./cli.js";

const SHORT_SSN = ["ssn", "--epochs", "21", "--dur", "20", "--val-step", "10", "--val-factor", "2", "--quiet"];
const PAIR = ["pair", "--preset", "quick", "--epochs", "5", "--quiet"];
const MANIFEST = ".spike-align-run.json",
  LOCK = ".spike-align.lock";

/** Runs as user nobody when root (permission bits do not stop root), else as is. */
function asUser(): string {
  if (process.getuid?.() !== 0) return "";
  return spawnSync("setpriv", ["--version"]).status === 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups" : "";
}

describe("--out is checked before the run", () => {
  const cases: [string, string, RegExp][] = [
    [
      "/proc/spike (a recursive mkdir there never ends)",
      "/proc/spike",
      /^spike-align: --out \/proc\/spike: cannot create the directory \(ENOENT/,
    ],
    ["/proc/self", "/proc/self", /^spike-align: --out \/proc\/self: cannot write there \((ENOENT|EACCES)/],
    ["a path through a file", "/etc/hostname/run", /--out .*hostname.*(not a directory|ENOTDIR)/],
    ["an existing file", "/etc/hostname", /--out \/etc\/hostname: .*exists and is not a directory/],
  ];
  for (const [what, out, re] of cases) {
    it(what, () => {
      const r = cli([...PAIR, "--out", out], { timeout: 15_000 });
      expect(r.signal, `${what}: ended by itself`).toBeNull();
      expectUsage(r, re, what);
    });
  }

  // root ignores permission bits: the test then runs the CLI as nobody (setpriv), or is skipped
  const prefix = asUser();
  it.skipIf(process.getuid?.() === 0 && !prefix)("a read-only directory (also when not root)", () => {
    const base = tmp();
    chmodSync(base, 0o755);
    const ro = join(base, "ro");
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    for (const out of [ro, join(ro, "sub")]) {
      const r = cliUnder(prefix, [...PAIR, "--out", out]);
      expectUsage(r, /--out .*ro.*: cannot (write there|create the directory) \(EACCES: permission denied\)/, out);
    }
    expect(entries(ro)).toEqual([]);
  });
});

describe("a write that fails mid-run", () => {
  it("is exit 2 with the path and the reason; no temporary files; metrics.jsonl keeps whole lines", () => {
    const out = join(tmp(), "full");
    // files may grow to 16 kB: metrics.jsonl outgrows that during the run (EFBIG, as ENOSPC would)
    const r = cliUnder("trap '' XFSZ; ulimit -f 16; exec", [
      "ssn",
      "--epochs",
      "201",
      "--dur",
      "10",
      "--val-step",
      "10",
      "--val-factor",
      "2",
      "--quiet",
      "--out",
      out,
    ]);
    expectUsage(r, /^spike-align: --out .*full\/metrics\.jsonl: cannot write \(EFBIG: file too large\)/);
    const files = entries(out)!;
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(files).not.toContain(LOCK);
    expect(files).not.toContain("summary.json");
    const lines = readFileSync(join(out, "metrics.jsonl"), "utf8");
    expect(lines.endsWith("\n")).toBe(true);
    for (const l of lines.trim().split("\n")) JSON.parse(l);
  });

  it("a file written whole that does not fit leaves no temporary file", () => {
    const out = join(tmp(), "svg");
    // 36 kB: metrics.jsonl fits, the distribution plot (about 34 kB) or a later file does not
    const r = cliUnder("trap '' XFSZ; ulimit -f 30; exec", [
      ...SHORT_SSN.slice(0, 1),
      "--epochs",
      "101",
      "--dur",
      "10",
      "--val-step",
      "10",
      "--val-factor",
      "2",
      "--quiet",
      "--out",
      out,
    ]);
    expectUsage(r, /^spike-align: --out .*svg\/[\w.]+: cannot write \(EFBIG: file too large\)/);
    expect(entries(out)!.filter((f) => f.endsWith(".tmp") || f === LOCK)).toEqual([]);
  });
});

describe("a directory belongs to one run", () => {
  it("another run's outputs need --force, which removes only that run's files", () => {
    const out = join(tmp(), "run");
    expect(cli([...PAIR, "--out", out]).code).toBe(0);
    const pairFiles = entries(out)!;
    expect(pairFiles).toEqual(expect.arrayContaining([MANIFEST, "config.json", "results.json", "summary.json"]));
    writeFileSync(join(out, "notes.txt"), "mine");
    const before = readFileSync(join(out, "summary.json"), "utf8");
    expectUsage(
      cli([...SHORT_SSN, "--out", out]),
      /--out .*run: holds the outputs of an earlier pair run \(config\.json, .*\); add --force/,
    );
    expect(readFileSync(join(out, "summary.json"), "utf8")).toBe(before);
    const r = cli([...SHORT_SSN, "--out", out, "--force"]);
    expect(r.code, r.stderr).toBe(0);
    const now = entries(out)!;
    expect(now).not.toContain("results.json"); // the pair run's file is gone
    expect(now).toContain("notes.txt"); // not a run's file: kept
    expect(now).toContain("W.npy");
    expect(JSON.parse(readFileSync(join(out, MANIFEST), "utf8"))).toMatchObject({ command: "ssn" });
    expect(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).command).toBe("ssn");
  });

  it("a failed start leaves no trace: no directory, no manifest", () => {
    const base = tmp();
    const out = join(base, "a", "b");
    expectUsage(cli(["pair", "--epochs", "0", "--out", out]), /--epochs/);
    expect(entries(base)).toEqual([]);
  });

  it("a live writer's lock keeps a second process out; a dead one's is taken over", () => {
    const out = join(tmp(), "locked");
    mkdirSync(out);
    // this test process is alive: its PID in the lock stands for a run in progress
    writeFileSync(join(out, LOCK), `${process.pid}\n${hostname()}\n2026-01-01T00:00:00.000Z\n`);
    expectUsage(cli([...PAIR, "--out", out]), new RegExp(`--out .*locked: locked by process ${process.pid}, another spike-align run`));
    expect(entries(out)).toEqual([LOCK]);
    // a process that has ended
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    writeFileSync(join(out, LOCK), `${dead}\n${hostname()}\n2026-01-01T00:00:00.000Z\n`);
    const r = cli([...PAIR, "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(out, LOCK))).toBe(false);
    expect(entries(out)).toContain("summary.json");
  });

  it("two resumes of one directory: the second exits 2 while the first runs", { tags: ["slow"] }, async () => {
    const out = join(tmp(), "twice");
    // leaves a checkpoint at epoch 4; resumed with --epochs 4000 it runs for minutes
    expect(
      cli([
        "ssn",
        "--epochs",
        "6",
        "--dur",
        "200",
        "--val-step",
        "100",
        "--val-factor",
        "2",
        "--checkpoint-every",
        "2",
        "--quiet",
        "--out",
        out,
      ]).code,
    ).toBe(0);
    const { spawn } = await import("node:child_process");
    const first = spawn(process.execPath, [CLI, "ssn", "--resume", out, "--epochs", "4000", "--quiet"], { stdio: "ignore" });
    for (let i = 0; i < 100 && !existsSync(join(out, LOCK)); i++) await new Promise((res) => setTimeout(res, 50));
    expect(existsSync(join(out, LOCK))).toBe(true);
    const second = cli(["ssn", "--resume", out, "--epochs", "4000", "--quiet"]);
    first.kill("SIGKILL");
    await new Promise((res) => first.on("exit", res));
    expectUsage(second, new RegExp(`--resume .*twice: locked by process ${first.pid}, another spike-align run`));
    // the killed run's lock stays behind; its process is gone, so the next resume takes it over
    expect(readFileSync(join(out, LOCK), "utf8").split("\n")[0]).toBe(String(first.pid));
    const at = JSON.parse(readFileSync(join(out, "checkpoint.json"), "utf8")).epoch as number;
    const third = cli(["ssn", "--resume", out, "--epochs", String(at + 2), "--quiet"]);
    expect(third.code, third.stderr).toBe(0);
    expect(existsSync(join(out, LOCK))).toBe(false);
  });
});

describe("train, align, infer, ei: --out is a run directory", () => {
  const runs: [string, () => string[]][] = [
    ["train", () => [...TRAIN(), "--epochs", "1"]],
    ["align", () => ["align", "--layers", "20,10", "--epochs", "1", "--steps-per-epoch", "200", "--quiet"]],
    ["infer", () => ["infer", "--method", "stdwi", "--seconds", "0.5", "--n", "10", "--quiet"]],
    ["ei", () => ["ei", "--grid", "none", "--steps", "20000", "--quiet"]],
  ];
  let pairRun = "";
  for (const [cmd, args] of runs) {
    it(`${cmd}: another run's outputs are refused without --force`, () => {
      if (!pairRun) {
        pairRun = join(tmp(), "pair");
        expect(cli([...PAIR, "--out", pairRun]).code).toBe(0);
      }
      const out = join(tmp(), "run");
      cpSync(pairRun, out, { recursive: true });
      const before = readFileSync(join(out, "summary.json"), "utf8");
      expectUsage(
        cli([...args(), "--out", out]),
        new RegExp(`--out .*run: holds the outputs of an earlier pair run \\(config\\.json, .*\\); add --force`),
        cmd,
      );
      expect(readFileSync(join(out, "summary.json"), "utf8")).toBe(before);
      if (cmd !== "align") return; // --force is the same mechanism for all
      const r = cli([...args(), "--out", out, "--force"]);
      expect(r.code, r.stderr).toBe(0);
      expect(entries(out)).not.toContain("results.json");
      expect(JSON.parse(readFileSync(join(out, MANIFEST), "utf8"))).toMatchObject({ command: "align" });
    });
  }
});

describe("sweep: OUT belongs to one sweep process; runs arrive whole", () => {
  const HEX = /^[0-9a-f]{12}$/;
  it("a second sweep into a locked OUT exits 2; OUT with a single run's outputs is refused", () => {
    const out = join(tmp(), "locked");
    mkdirSync(out);
    writeFileSync(join(out, LOCK), `${process.pid}\n${hostname()}\n2026-01-01T00:00:00.000Z\n`);
    expectUsage(
      cli(["sweep", "ssn-smoke", "--out", out, "--quiet"]),
      new RegExp(`--out .*locked: locked by process ${process.pid}, another spike-align run`),
    );
    expect(entries(out)).toEqual([LOCK]);
    const single = join(tmp(), "single");
    expect(cli([...PAIR, "--out", single]).code).toBe(0);
    expectUsage(
      cli(["sweep", "ssn-smoke", "--out", single, "--quiet"]),
      /--out .*single: holds the outputs of a single run \(config\.json, .*\), not a sweep/,
    );
    expect(existsSync(join(single, "runs"))).toBe(false);
  });

  it(
    "a killed worker's staging directory and an interrupted run are cleared;" + " report/ is replaced whole; a corrupt run file is named",
    () => {
      const out = join(tmp(), "sweep");
      expect(cli(["sweep", "ssn-smoke", "--emit", "slurm", "--out", out, "--quiet"]).code).toBe(0); // sweep.json: the run ids
      const index = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8"));
      // what a killed worker of this host left (its process is gone), and an earlier version's interrupted run
      const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
      const staging = join(out, "runs", `.${index.runs[1].id}.${hostname()}.${dead}.1.tmp`);
      mkdirSync(staging, { recursive: true });
      writeFileSync(join(staging, "config.json"), "{");
      mkdirSync(join(out, "runs", index.runs[0].id));
      writeFileSync(join(out, "runs", index.runs[0].id, "metrics.jsonl"), "{");
      const r = cli(["sweep", "ssn-smoke", "--out", out, "--json", "--quiet"]);
      expect(r.code, r.stderr).toBe(0);
      const ids = readdirSync(join(out, "runs"));
      expect(
        ids.filter((f) => !HEX.test(f)),
        "no staging directories left",
      ).toEqual([]);
      expect(ids).toHaveLength(8);
      for (const id of ids) expect(JSON.parse(readFileSync(join(out, "runs", id, "done.json"), "utf8")).id).toBe(id);
      // the runs of one condition go away: a new report does not keep the old report's figures of it
      expect(existsSync(join(out, "report", "dkl-initNoise=0.8.svg"))).toBe(true);
      for (const run of index.runs) if (run.values.initNoise === 0.8) rmSync(join(out, "runs", run.id), { recursive: true });
      const top = entries(out);
      const rep = cli(["report", out, "--json", "--quiet"]);
      expect(rep.code, rep.stderr).toBe(0);
      expect(existsSync(join(out, "report", "dkl-initNoise=0.8.svg"))).toBe(false);
      expect(entries(out), "report writes OUT/report/ only").toEqual(top);
      // a complete run whose summary.json is corrupt: exit 2 naming the file
      const first = index.runs[0].id;
      writeFileSync(join(out, "runs", first, "summary.json"), "{");
      expectUsage(cli(["report", out, "--quiet"]), new RegExp(`report: .*runs/${first}/summary\\.json: not valid JSON`));
    },
  );

  it("a write that fails in a run is exit 2 naming the path; no half-written run directory stays", () => {
    const out = join(tmp(), "full");
    // 16 kB files: sweep.json fits, a run's distribution plot does not (EFBIG, as ENOSPC would)
    const r = cliUnder("trap '' XFSZ; ulimit -f 16; exec", ["sweep", "ssn-smoke", "--out", out, "--quiet"]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^spike-align: run [0-9a-f]{12}: --out .*\.svg: cannot write \(EFBIG: file too large\)$/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(entries(join(out, "runs"))).toEqual([]);
  });

  it("two tasks of the same run at once (a job handed out twice): both end well, one whole directory", { tags: ["slow"] }, async () => {
    const dir = tmp(),
      out = join(dir, "o");
    writeFileSync(
      join(dir, "one.yaml"),
      "command: ssn\npreset: minimal\nconfig: { epochs: 4001, valStep: 1000, valFactor: 10 }\ngrid:\n  seeds.sim: [3]\n",
    );
    const args = ["sweep-task", join(dir, "one.yaml"), "--index", "0", "--out", out, "--quiet"];
    const { spawn } = await import("node:child_process");
    const first = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let firstErr = "";
    first.stderr.on("data", (d) => (firstErr += d));
    const firstDone = new Promise<number | null>((res) => first.on("exit", res));
    // the second starts while the first writes its run
    for (let i = 0; i < 400 && !(existsSync(join(out, "runs")) && readdirSync(join(out, "runs")).length); i++)
      await new Promise((res) => setTimeout(res, 10));
    const second = cli(args);
    expect(second.code, second.stderr).toBe(0);
    expect(await firstDone, firstErr).toBe(0);
    const ids = readdirSync(join(out, "runs"));
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatch(HEX);
    const files = readdirSync(join(out, "runs", ids[0]));
    expect(files).toEqual(expect.arrayContaining(["config.json", "metrics.jsonl", "summary.json", "done.json"]));
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
    // one run's metrics, not two runs' lines interleaved: validation epochs 0, 1000, ..., 4000
    const epochs = readFileSync(join(out, "runs", ids[0], "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).epoch);
    expect(epochs).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(JSON.parse(readFileSync(join(out, "runs", ids[0], "summary.json"), "utf8")).epochs).toBe(4001);
  });
});
