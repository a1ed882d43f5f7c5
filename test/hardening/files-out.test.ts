// Files out, one protocol for every command (src/io/rundir.ts): --out is
// checked before the run (exit 2 with the path and the reason, never a hang);
// a write that fails mid-run is exit 2 with the path and the reason and leaves
// no temporary files and whole lines; a directory holding another run's
// outputs needs --force, which removes exactly that run's files; a lock with
// the writer's PID keeps a second process out, and a dead writer's lock is
// taken over.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { CLI, cli, cliUnder, entries, expectUsage, tmp } from "./cli.js";

const SHORT_SSN = ["ssn", "--epochs", "21", "--dur", "20", "--val-step", "10", "--val-factor", "2", "--quiet"];
const PAIR = ["pair", "--preset", "quick", "--epochs", "5", "--quiet"];
const MANIFEST = ".spike-align-run.json", LOCK = ".spike-align.lock";

/** Runs as user nobody when root (permission bits do not stop root), else as is. */
function asUser(): string {
  if (process.getuid?.() !== 0) return "";
  return spawnSync("setpriv", ["--version"]).status === 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups" : "";
}

describe("--out is checked before the run", () => {
  const cases: [string, string, RegExp][] = [
    ["/proc/spike (a recursive mkdir there never ends)", "/proc/spike", /^spike-align: --out \/proc\/spike: cannot create the directory \(ENOENT/],
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
    const r = cliUnder("trap '' XFSZ; ulimit -f 16; exec", ["ssn", "--epochs", "201", "--dur", "10", "--val-step", "10", "--val-factor", "2", "--quiet", "--out", out]);
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
    const r = cliUnder("trap '' XFSZ; ulimit -f 30; exec", [...SHORT_SSN.slice(0, 1), "--epochs", "101", "--dur", "10", "--val-step", "10", "--val-factor", "2", "--quiet", "--out", out]);
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
    expectUsage(cli([...SHORT_SSN, "--out", out]), /--out .*run: holds the outputs of an earlier pair run \(config\.json, .*\); add --force/);
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
    expect(cli(["ssn", "--epochs", "6", "--dur", "200", "--val-step", "100", "--val-factor", "2", "--checkpoint-every", "2", "--quiet", "--out", out]).code).toBe(0);
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
