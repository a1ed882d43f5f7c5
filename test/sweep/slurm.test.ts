// The Slurm engine: `sweep --emit slurm` writes a job-array script; this test
// starts a real single-node Slurm from Debian's slurm-wlm and munge (munged,
// slurmctld and slurmd on this machine with a minimal slurm.conf in a temp
// dir, on free ports), submits the script with `sbatch --wait`, and checks the
// report. Outside CI it is skipped with a message when Slurm is not installed;
// in CI it must run (.ci/run installs slurm-wlm and munge).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { hostname, tmpdir, totalmem } from "node:os";
import { join } from "node:path";

const CLI = new URL("../../dist/src/cli/main.js", import.meta.url).pathname;
const have = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
const haveSlurm = have("slurmctld") && have("slurmd") && have("sbatch") && existsSync("/usr/sbin/munged");
if (!haveSlurm && process.env.CI)
  throw new Error("Slurm (slurm-wlm, munge) is not installed, but CI must run the Slurm test (.ci/run installs them)");
if (!haveSlurm)
  console.warn(
    "test/sweep/slurm.test.ts: the sbatch run is skipped: slurm-wlm and munge are not installed (apt-get install slurm-wlm munge)",
  );

const cli = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env, timeout: 120_000 });

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe("spike-align sweep --emit slurm", () => {
  it("writes the array script with one task per incomplete run; without sbatch on the machine it says so", () => {
    const dir = mkdtempSync(join(tmpdir(), "sweep-slurm-"));
    const out = join(dir, "o");
    // a PATH without sbatch: a directory with only node and sh in it
    const bin = join(dir, "bin");
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, "node"));
    symlinkSync("/bin/sh", join(bin, "sh"));
    const noSbatch = { ...process.env, PATH: bin };
    const r = cli(["sweep", "ssn-smoke", "--emit", "slurm", out, "--time", "00:10:00", "--mem", "1G", "--partition", "short"], noSbatch);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/note: sbatch is not on this machine/);
    const script = readFileSync(join(out, "sweep.sbatch"), "utf8");
    expect(script).toMatch(/^#!\/bin\/bash\n/);
    expect(script).toContain("#SBATCH --array=0-7\n");
    expect(script).toContain("#SBATCH --time=00:10:00\n");
    expect(script).toContain("#SBATCH --mem=1G\n");
    expect(script).toContain("#SBATCH --partition=short\n");
    expect(script).toMatch(/sweep-task 'ssn-smoke' --index "\$SLURM_ARRAY_TASK_ID" --out '.*\/o' --quiet/);
    expect(JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")).runs).toHaveLength(8);
    // a task runs its run; the script then lists only the runs that are left
    const t = cli(["sweep-task", "ssn-smoke", "--index", "2", "--out", out]);
    expect(t.status, t.stderr).toBe(0);
    cli(["sweep", "ssn-smoke", "--emit", "slurm", out], noSbatch);
    expect(readFileSync(join(out, "sweep.sbatch"), "utf8")).toContain("#SBATCH --array=0-1,3-7\n");
    expect(cli(["sweep-task", "ssn-smoke", "--index", "8", "--out", out]).stderr).toMatch(/--index: got 8; a run index in \[0, 7\]/);
  });

  describe.skipIf(!haveSlurm)("on a real single-node Slurm", { tags: ["slurm"] }, () => {
    // Everything lives in one temp dir: the munge key, socket and daemon of
    // this test (never the system's munged, which may be absent, stopped or
    // have left a stale socket), the slurm.conf, state and logs.
    const root = mkdtempSync(join(tmpdir(), "slurm-"));
    chmodSync(root, 0o711); // munged wants its socket's directory traversable by all
    const sock = join(root, "munge.sock");
    const env = { ...process.env, SLURM_CONF: join(root, "slurm.conf") };
    const tail = (f: string) =>
      existsSync(join(root, f)) ? `${f}: ${readFileSync(join(root, f), "utf8").slice(-600)}\n` : `${f}: (none)\n`;
    const logs = () => ["munged.log", "slurmctld.log", "slurmd.log"].map(tail).join("");
    const daemon = (cmd: string, args: string[]) => {
      const r = spawnSync(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", timeout: 30_000 });
      if (r.status !== 0) throw new Error(`${cmd} did not start (status ${r.status}): ${r.stderr}\n${logs()}`);
    };
    beforeAll(async () => {
      writeFileSync(join(root, "munge.key"), randomBytes(1024), { mode: 0o600 });
      daemon("/usr/sbin/munged", [
        `--socket=${sock}`,
        `--key-file=${join(root, "munge.key")}`,
        `--log-file=${join(root, "munged.log")}`,
        `--pid-file=${join(root, "munged.pid")}`,
        `--seed-file=${join(root, "munged.seed")}`,
      ]);
      const cred = spawnSync("sh", ["-c", `munge -n -S '${sock}' | unmunge -S '${sock}'`], { encoding: "utf8", timeout: 10_000 });
      if (cred.status !== 0) throw new Error(`munge does not answer on ${sock}: ${cred.stderr}\n${logs()}`);
      const [ctld, d] = [await freePort(), await freePort()];
      const node = hostname().split(".")[0];
      for (const sub of ["state", "spool"]) mkdirSync(join(root, sub));
      writeFileSync(
        env.SLURM_CONF,
        [
          "ClusterName=spikealign",
          `SlurmctldHost=${node}(127.0.0.1)`,
          "SlurmUser=root",
          "SlurmdUser=root",
          "AuthType=auth/munge",
          "CredType=cred/munge",
          `AuthInfo=socket=${sock}`,
          `StateSaveLocation=${root}/state`,
          `SlurmdSpoolDir=${root}/spool`,
          `SlurmctldPidFile=${root}/slurmctld.pid`,
          `SlurmdPidFile=${root}/slurmd.pid`,
          `SlurmctldPort=${ctld}`,
          `SlurmdPort=${d}`,
          "ProctrackType=proctrack/linuxproc",
          "TaskPlugin=task/none",
          "SchedulerType=sched/builtin",
          "SelectType=select/cons_tres",
          "SelectTypeParameters=CR_Core",
          "ReturnToService=2",
          "MpiDefault=none",
          "JobAcctGatherType=jobacct_gather/none",
          "AccountingStorageType=accounting_storage/none",
          `SlurmctldLogFile=${root}/slurmctld.log`,
          `SlurmdLogFile=${root}/slurmd.log`,
          `NodeName=${node} NodeAddr=127.0.0.1 CPUs=2 RealMemory=${Math.floor(totalmem() / 2 ** 20) - 512} State=UNKNOWN`,
          "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP",
          "",
        ].join("\n"),
      );
      daemon("slurmctld", []);
      daemon("slurmd", []);
      const deadline = Date.now() + 90_000;
      let last = "";
      while (Date.now() < deadline) {
        const s = spawnSync("sinfo", ["-h", "-o", "%T"], { encoding: "utf8", env, timeout: 10_000 });
        last = `${s.stdout}${s.stderr}`;
        if (/idle/.test(s.stdout)) return;
        await new Promise((r) => setTimeout(r, 300));
      }
      throw new Error(`Slurm did not come up in 90 s; sinfo said: ${last}\n${logs()}`);
    }, 150_000);
    afterAll(() => {
      for (const p of ["slurmd.pid", "slurmctld.pid", "munged.pid"]) {
        try {
          process.kill(Number(readFileSync(join(root, p), "utf8")), "SIGTERM");
        } catch {
          /* gone */
        }
      }
    });

    it("sbatch --wait runs the array; report collects all runs, equal to the local engine's", { tags: ["slow"], timeout: 180_000 }, () => {
      const dir = mkdtempSync(join(tmpdir(), "sweep-sbatch-"));
      writeFileSync(join(dir, "s.yaml"), "command: pair\npreset: quick\nconfig: { epochs: 20 }\ngrid:\n  seed: [1, 2, 3, 4]\n");
      const out = join(dir, "o");
      const e = cli(["sweep", join(dir, "s.yaml"), "--emit", "slurm", out], env);
      expect(e.status, e.stderr).toBe(0);
      expect(e.stdout).toMatch(/submit it with: sbatch /);
      const sb = spawnSync("sbatch", ["--wait", join(out, "sweep.sbatch")], { encoding: "utf8", env, timeout: 170_000 });
      expect(
        sb.status,
        `${sb.stdout}${sb.stderr}${readdirSync(join(out, "slurm"))
          .map((f) => readFileSync(join(out, "slurm", f), "utf8"))
          .join("\n")}`,
      ).toBe(0);
      const r = cli(["report", out, "--json"], env);
      expect(JSON.parse(r.stdout.trim().split("\n").pop()!)).toMatchObject({ runs: 4, complete: 4, missing: 0 });
      for (const id of readdirSync(join(out, "runs")))
        expect(JSON.parse(readFileSync(join(out, "runs", id, "done.json"), "utf8")).worker).toMatch(/:slurm\d+$/);
      const local = join(dir, "local");
      expect(cli(["sweep", join(dir, "s.yaml"), "--out", local, "--quiet"]).status).toBe(0);
      const finals = (o: string) =>
        Object.fromEntries(
          readdirSync(join(o, "runs")).map((id) => [id, JSON.parse(readFileSync(join(o, "runs", id, "summary.json"), "utf8")).final]),
        );
      expect(finals(out)).toEqual(finals(local));
    });
  });
});
