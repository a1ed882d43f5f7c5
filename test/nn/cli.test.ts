// `spike-align train` end to end through the built CLI on a small generated
// Fashion-MNIST-layout directory: summary line and files, resume, and the
// one-line errors with exit code 2.
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeCifarSet, writeIdxSet } from "../data/idxfiles.js";

const CLI = join(import.meta.dirname, "../../dist/src/cli/main.js");
function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, "train", ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lastJson = (s: string) => JSON.parse(s.trim().split("\n").pop()!);
const tmp = () => mkdtempSync(join(tmpdir(), "sa-train-"));

describe("spike-align train", () => {
  const data = join(tmp(), "fm");
  const base = ["--preset", "quick", "--data", data, "--hidden", "32,16", "--batch", "32", "--quiet"];
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} missing: run npm run build first`);
    writeIdxSet(data, 200, 60);
  });

  it("--json prints the summary last; --out writes config, metrics per epoch, summary, plots and parameters", () => {
    const dir = join(tmp(), "run");
    const r = run([...base, "--method", "fa", "--out", dir, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const s = lastJson(r.stdout);
    expect(s).toMatchObject({ command: "train", dataset: "fmnist", arch: "mlp", method: "fa", epochs: 2, backend: "wasm" });
    expect(s.final.angleDeg).toHaveLength(3);
    for (const key of ["corrcoef", "signAgreement", "diffVar"]) expect(s.final[key]).toHaveLength(3);
    expect(s.initial.angleDeg).toHaveLength(3);
    expect(s.final.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(s.secondsPerEpoch).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"))).toEqual(s);
    const files = readdirSync(dir);
    for (const f of [
      "config.json",
      "metrics.jsonl",
      "summary.json",
      "accuracy.svg",
      "loss.svg",
      "angle.svg",
      "scatter-fc1.svg",
      "scatter-fc3.svg",
      "params",
    ])
      expect(files).toContain(f);
    expect(readdirSync(join(dir, "params"))).toContain("fc2.B.npy");
    const lines = readFileSync(join(dir, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.epoch)).toEqual([0, 1, 2]);
    expect(lines[2].fc[0]).toHaveProperty("angleDeg");
    expect(readFileSync(join(dir, "params/fc1.W.npy")).length).toBeGreaterThan(64 * 32 * 4);
  });

  it("a YAML config sets any field; flags override it; bad fields are named", () => {
    const d = tmp(),
      cfgPath = join(d, "train.yaml");
    writeFileSync(cfgPath, `preset: quick\ndata: ${data}\nhidden: [16]\nepochs: 1\nmethod: scfa\nfcWeightDecay: 0.01\n`);
    const r = run(["--config", cfgPath, "--method", "kp", "--json", "--quiet"]);
    expect(r.stderr).toBe("");
    expect(lastJson(r.stdout)).toMatchObject({ method: "kp", epochs: 1, final: { angleDeg: [expect.any(Number), expect.any(Number)] } });
    writeFileSync(cfgPath, `data: ${data}\nhidden: [16, 0]\n`);
    const bad = run(["--config", cfgPath]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/hidden/);
  });

  it("the conv net on CIFAR-10-format data (3x32x32, F = 1600, random crops and flips)", () => {
    const c10 = join(tmp(), "c10");
    writeCifarSet(c10, 8, 10);
    const r = run([
      "--dataset",
      "cifar10",
      "--data",
      c10,
      "--arch",
      "conv",
      "--method",
      "bp_w_fa",
      "--epochs",
      "1",
      "--batch",
      "16",
      "--json",
      "--quiet",
    ]);
    expect(r.stderr).toBe("");
    const s = lastJson(r.stdout);
    expect(s).toMatchObject({ dataset: "cifar10", arch: "conv", method: "bp_w_fa", epochs: 1 });
    expect(s.final.angleDeg).toEqual([0, 0, 0]); // exact BP on the fc layers
    expect(Number.isFinite(s.final.testLoss)).toBe(true);
  });

  it("--resume with --epochs continues a checkpointed run to the same parameters as an uninterrupted one", () => {
    const a = join(tmp(), "a"),
      b = join(tmp(), "b");
    expect(run([...base, "--method", "kp", "--epochs", "1", "--checkpoint-every", "1", "--out", a]).code).toBe(0);
    const r = run(["--resume", a, "--epochs", "2", "--quiet"]);
    expect(r.stderr).toBe("");
    expect(run([...base, "--method", "kp", "--epochs", "2", "--out", b]).code).toBe(0);
    for (const f of ["fc1.W.npy", "fc1.B.npy", "fc3.b.npy", "fc2.bn.running_var.npy"])
      expect(readFileSync(join(a, "params", f)).equals(readFileSync(join(b, "params", f))), f).toBe(true);
    expect(readFileSync(join(a, "metrics.jsonl"), "utf8").trim().split("\n")).toHaveLength(3);
    // a config.json that no longer fits the checkpoint is bad input
    const cfg = JSON.parse(readFileSync(join(a, "config.json"), "utf8"));
    writeFileSync(join(a, "config.json"), JSON.stringify({ ...cfg, hidden: [32, 8] }));
    const bad = run(["--resume", a, "--epochs", "3", "--quiet"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/checkpoint\.ckpt tensors\[\d+\]: .*does not match config\.json: its network has fc2/);
  });

  it("bad input: one line naming the field or file, exit code 2", () => {
    const bad = join(tmp(), "bad");
    writeIdxSet(bad, 10, 10);
    writeFileSync(join(bad, "t10k-labels-idx1-ubyte.gz"), new Uint8Array([0x1f, 0x8b, 8]));
    const cases: [string[], RegExp][] = [
      [["--data", join(data, "missing")], /missing: no such directory \(fmnist data\); install .*apt-get install dataset-fashion-mnist/],
      [["--data", bad], /t10k-labels-idx1-ubyte\.gz: corrupt or truncated gzip/],
      [[...base, "--hidden", "32,x"], /--hidden/],
      [[...base, "--checkpoint-every", "1"], /--checkpoint-every: got 1; needs --out DIR/],
      [["--resume", data], /--resume: .*no checkpoint\.ckpt there/],
    ];
    for (const [args, re] of cases) {
      const r = run(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.stderr).toMatch(re);
    }
  });
});
