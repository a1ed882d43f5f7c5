// The Redis engine (BullMQ) against a real redis-server this test starts on a
// loopback port: a sweep of 8 short SSN runs with two workers, one of which
// is killed with SIGKILL in the middle of a run. Every run must arrive exactly
// once and equal the same run done locally. Outside CI the test is skipped
// with a message when redis-server is not installed; in CI it must run
// (.ci/run installs it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CLI = new URL("../../dist/src/cli/main.js", import.meta.url).pathname;
const haveRedis = spawnSync("redis-server", ["--version"]).status === 0;
if (!haveRedis && process.env.CI) throw new Error("redis-server is not installed, but CI must run the queue test (.ci/run installs it)");
if (!haveRedis) console.warn("test/sweep/queue.test.ts: skipped: redis-server is not installed (apt-get install redis-server)");

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const summaries = (out: string) =>
  Object.fromEntries(
    readdirSync(join(out, "runs")).map((id) => {
      const { nsPerStep: _n, simSeconds: _s, ...rest } = JSON.parse(readFileSync(join(out, "runs", id, "summary.json"), "utf8"));
      return [id, rest];
    }),
  );

describe.skipIf(!haveRedis)("spike-align sweep --queue (BullMQ on a real Redis)", { tags: ["redis"] }, () => {
  let redis: ChildProcess;
  let url = "";
  const procs: ChildProcess[] = [];
  beforeAll(async () => {
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    for (let i = 0; i < 50 && spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" }).stdout.trim() !== "PONG"; i++)
      await new Promise((r) => setTimeout(r, 100));
  });
  afterAll(() => {
    for (const p of procs) p.kill("SIGKILL");
    redis?.kill("SIGTERM");
  });

  it(
    "8 runs, 2 workers, one SIGKILLed mid-run: all 8 arrive exactly once and equal the local runs",
    { tags: ["slow"], timeout: 180_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "sweep-queue-"));
      // 8 SSN runs of about a second each, so that a kill lands inside one
      writeFileSync(
        join(dir, "s.yaml"),
        "command: ssn\npreset: minimal\nconfig: { epochs: 301, valStep: 100, valFactor: 10 }\n" +
          "grid:\n  initNoise: [0.2, 0.8]\n  sal: [true, false]\n  seeds.sim: [1, 2]\n",
      );
      const env = { ...process.env, SPIKE_ALIGN_QUEUE_LOCK_SECONDS: "3" };
      const logs: string[] = ["", ""];
      const worker = (i: number) => {
        const p = spawn(process.execPath, [CLI, "worker", "--queue", url, "--idle-exit", "20"], {
          env,
          stdio: ["ignore", "ignore", "pipe"],
        });
        p.stderr.on("data", (d) => (logs[i] += String(d)));
        procs.push(p);
        return p;
      };
      const victim = worker(0);
      worker(1);
      const out = join(dir, "q");
      const sweep = spawn(process.execPath, [CLI, "sweep", join(dir, "s.yaml"), "--queue", url, "--out", out, "--json"], {
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "",
        stderr = "";
      sweep.stdout.on("data", (d) => (stdout += String(d)));
      sweep.stderr.on("data", (d) => (stderr += String(d)));
      // kill worker 0 once it has started its second run (the first one is then complete)
      for (let i = 0; i < 600 && (logs[0].match(/attempt \d\)/g) ?? []).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect((logs[0].match(/attempt \d\)/g) ?? []).length).toBeGreaterThanOrEqual(2);
      const killedRun = [...logs[0].matchAll(/run ([0-9a-f]{12}) \(/g)].pop()![1];
      victim.kill("SIGKILL");
      const code = await new Promise<number | null>((resolve) => sweep.on("exit", resolve));
      expect(code, stderr).toBe(0);
      const s = JSON.parse(stdout.trim().split("\n").pop()!);
      expect(s).toMatchObject({ command: "sweep", engine: "queue", runs: 8, done: 8, failed: 0, skipped: 0 });
      // the killed run was picked up again by the other worker
      expect(logs[1]).toMatch(new RegExp(`run ${killedRun} \\(.*attempt`));
      expect(logs[1]).toMatch(new RegExp(`run ${killedRun} done`));
      // exactly once: one directory and one marker per run
      const ids = readdirSync(join(out, "runs"));
      expect(ids).toHaveLength(8);
      for (const id of ids) expect(JSON.parse(readFileSync(join(out, "runs", id, "done.json"), "utf8")).id).toBe(id);
      // the same results as the local engine
      const local = join(dir, "local");
      expect(spawnSync(process.execPath, [CLI, "sweep", join(dir, "s.yaml"), "--out", local, "--quiet"]).status).toBe(0);
      expect(summaries(out)).toEqual(summaries(local));
      expect(existsSync(join(out, "report", "summary.md"))).toBe(true);
      // nothing is left on the queue
      const left = spawnSync("redis-cli", ["-u", url, "--scan", "--pattern", "bull:spike-align-runs:????????????-????????????"], {
        encoding: "utf8",
      }).stdout.trim();
      expect(left).toBe("");
    },
  );
});
