// Running the built CLI as a user would, for the hardening tests: spawn
// `node dist/src/cli/main.js`, then check the exit code, the stderr lines
// and what is left in the output directory.
import { spawn, spawnSync, type SpawnSyncOptions } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { writeIdxSet } from "../data/idxfiles.js";

/** The built CLI (SPIKE_ALIGN_TEST_CLI points the tests at another build, e.g. to see them fail on an older one). */
export const CLI = process.env.SPIKE_ALIGN_TEST_CLI ?? join(import.meta.dirname, "../../dist/src/cli/main.js");

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `spike-align args...` to the end (timeout 60 s unless given). */
export function cli(args: string[], o: SpawnSyncOptions = {}): Run {
  if (!existsSync(CLI)) throw new Error(`${CLI} missing: run npm run build first`);
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 60_000, ...o });
  return { code: r.status, signal: r.signal, stdout: String(r.stdout ?? ""), stderr: String(r.stderr ?? "") };
}

/** Runs the CLI through a shell prefix (ulimit, traps, setpriv): `sh -c "<prefix> node CLI args"`. */
export function cliUnder(prefix: string, args: string[], o: SpawnSyncOptions = {}): Run {
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const r = spawnSync("/bin/sh", ["-c", `${prefix} ${quoted}`], { encoding: "utf8", timeout: 60_000, ...o });
  return { code: r.status, signal: r.signal, stdout: String(r.stdout ?? ""), stderr: String(r.stderr ?? "") };
}

/** Exit code 2, exactly one stderr line starting "spike-align:", no stack trace, matching `re`. */
export function expectUsage(r: Run, re: RegExp, what = ""): void {
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  expect(r.code, `${what}: exit code (stderr: ${r.stderr})`).toBe(2);
  expect(lines, `${what}: one stderr line`).toHaveLength(1);
  expect(lines[0], what).toMatch(/^spike-align: /);
  expect(lines[0], what).toMatch(re);
  expect(r.stderr, `${what}: no stack trace`).not.toMatch(/\n\s+at |\.js:\d+:\d+/);
}

export const tmp = (): string => mkdtempSync(join(tmpdir(), "sa-hard-"));

/** The entries of a directory (dotfiles too), sorted; null if it does not exist. */
export function entries(dir: string): string[] | null {
  return existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir).sort() : null;
}

/**
 * Starts `spike-align args...`, waits until stderr matches `re` (or `ms` pass), then kills it.
 * Returns whether the line came, the stderr seen and the seconds it took.
 */
export function waitForStderr(args: string[], re: RegExp, ms: number): Promise<{ seen: boolean; stderr: string; seconds: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "",
      done = false;
    const finish = (seen: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill("SIGKILL");
      resolve({ seen, stderr, seconds: (Date.now() - t0) / 1000 });
    };
    const timer = setTimeout(() => finish(false), ms);
    child.stderr.on("data", (d) => {
      stderr += d;
      if (re.test(stderr)) finish(true);
    });
    child.on("exit", () => finish(re.test(stderr)));
  });
}

let data: string | null = null;
/** A small generated Fashion-MNIST-layout directory (300 training, 100 test images of 28 x 28), written once per test file. */
export function trainData(): string {
  if (!data) {
    data = join(tmp(), "fm");
    writeIdxSet(data, 300, 100);
  }
  return data;
}

/** A tiny `train` run on trainData(): the MLP with hidden layers 16,8. */
export const TRAIN = (): string[] => ["train", "--preset", "quick", "--data", trainData(), "--hidden", "16,8", "--batch", "32", "--quiet"];
