// runTrain end to end on small synthetic sets: both backends train the same
// tiny conv net to the same loss; a run resumed from a checkpoint ends with
// the same parameters as an uninterrupted one; a NaN loss stops the run.
import { beforeAll, describe, expect, it } from "vitest";
import { createBackend } from "../../src/backend/index.js";
import type { Kernels } from "../../src/backend/index.js";
import { runTrain } from "../../src/experiments/train/run.js";
import { decodeCheckpoint, restoreNet } from "../../src/experiments/train/checkpoint.js";
import { UsageError } from "../../src/errors.js";
import { teacherData, trainCfg } from "./synthetic.js";

// 16x16 -> conv 5x5 -> 12x12 -> pool 6x6 -> conv 5x5 -> 2x2 -> pool 1x1: F = 6
const conv = trainCfg({ arch: "conv", convChannels: [4, 6], hidden: [12, 8], epochs: 1, batch: 16, testBatch: 32, lr: 0.02, seed: 3 });
const data = teacherData(5, 160, 64, 1, 16, 16, 5);

describe("runTrain", () => {
  let js: Kernels, wasm: Kernels;
  beforeAll(async () => {
    js = await createBackend("js");
    wasm = await createBackend("wasm");
  });

  it("js and wasm train the same tiny conv net (fa, augmented) to the same loss within 1e-4 relative", () => {
    const cfg = { ...conv, method: "fa" as const, augment: true };
    const a = runTrain(js, cfg, data).state.metrics[0],
      b = runTrain(wasm, cfg, data).state.metrics[0];
    for (const key of ["trainLoss", "testLoss"] as const) expect(Math.abs(a[key] - b[key]) / a[key], key).toBeLessThan(1e-4);
    expect(Math.abs(a.testAccuracy - b.testAccuracy)).toBeLessThanOrEqual(100 / 64);
    a.fc.forEach((l, i) => expect(l.angleDeg).toBeCloseTo(b.fc[i].angleDeg, 2));
  });

  it("same seed, same backend: identical runs; a resumed run ends with the same parameters", () => {
    const cfg = { ...conv, method: "kp" as const, epochs: 3, checkpointEvery: 1 };
    let ckBytes: Uint8Array | null = null;
    const full = runTrain(wasm, cfg, data, {
      onCheckpoint: (bytes) => {
        ckBytes ??= bytes; // the first one, after epoch 1
      },
    });
    const again = runTrain(wasm, cfg, data);
    expect(again.state.metrics.map((m) => m.trainLoss)).toEqual(full.state.metrics.map((m) => m.trainLoss));
    const ck = decodeCheckpoint(ckBytes!);
    expect(ck.state.epoch).toBe(1);
    const resumed = runTrain(wasm, cfg, data, {}, { state: ck.state, restore: (net) => restoreNet(net, ck) });
    expect(resumed.state.metrics.map((m) => m.trainLoss)).toEqual(full.state.metrics.map((m) => m.trainLoss));
    full.tensors.forEach(([name, t], i) => expect(Array.from(resumed.tensors[i][1]), name).toEqual(Array.from(t)));
  });

  it("a checkpoint from another architecture is refused with a message naming the tensor", () => {
    let bytes: Uint8Array | null = null;
    runTrain(wasm, { ...conv, checkpointEvery: 1 }, data, { onCheckpoint: (b) => (bytes = b) });
    const ck = decodeCheckpoint(bytes!);
    expect(() =>
      runTrain(wasm, { ...conv, hidden: [12, 9], epochs: 2 }, data, {}, { state: ck.state, restore: (net) => restoreNet(net, ck) }),
    ).toThrow(/fc2/);
    expect(() => decodeCheckpoint(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/magic/);
  });

  it("hooks: metrics rows (epoch 0 = alignment before training), progress per batch of each epoch", () => {
    const rows: { epoch: number }[] = [],
      progress: string[] = [];
    runTrain(wasm, { ...conv, epochs: 2 }, data, {
      onMetrics: (r) => rows.push(r),
      onProgress: (d, t, info) => progress.push(`${d}/${t} ${info}`),
    });
    expect(rows.map((r) => r.epoch)).toEqual([0, 1, 2]);
    expect(Object.keys(rows[0])).toEqual(["epoch", "fc"]);
    expect(progress).toHaveLength(20);
    expect(progress[0]).toMatch(/^1\/10 epoch 1\/2, loss \d/);
    expect(progress[19]).toMatch(/^10\/10 epoch 2\/2/);
  });

  it("frees the net's backend memory when it returns or throws (many runs in one process do not grow it)", () => {
    const m0 = wasm.mark();
    runTrain(wasm, conv, data);
    expect(wasm.mark()).toBe(m0);
    expect(() =>
      runTrain(
        wasm,
        conv,
        data,
        {},
        {
          state: { epoch: 0, initial: [], metrics: [] },
          restore: () => {
            throw new Error("bad checkpoint");
          },
        },
      ),
    ).toThrow(/bad checkpoint/);
    const poison = {
      state: { epoch: 0, initial: [], metrics: [] },
      restore: (net: Parameters<typeof restoreNet>[0]) => (net.fcs[0].W.view[0] = NaN),
    };
    expect(() => runTrain(wasm, conv, data, {}, poison)).toThrow(/NaN/);
    expect(wasm.mark()).toBe(m0);
  });

  it("a NaN loss stops the run with a UsageError naming the epoch and batch", () => {
    const cfg = { ...conv, epochs: 2 };
    const poison = {
      state: { epoch: 0, initial: [], metrics: [] },
      restore: (net: Parameters<typeof restoreNet>[0]) => (net.fcs[2].W.view[0] = NaN),
    };
    expect(() => runTrain(wasm, cfg, data, {}, poison)).toThrow(UsageError);
    expect(() => runTrain(wasm, cfg, data, {}, poison)).toThrow(/NaN at epoch 1, batch 1/);
  });

  it("sal and rdd run their spiking phase before every epoch: B changes, metrics carry the phase report", () => {
    const sal = runTrain(
      wasm,
      { ...conv, method: "sal", epochs: 2, sal: { tRef: 4, lenEpoch: 10, nIterations: 2, salLr: 0.5, batch: 2, bufferLength: 2 } },
      data,
    );
    expect(sal.state.metrics.map((m) => m.phase)).toMatchObject([
      { method: "sal", phase: 1, steps: 80 },
      { method: "sal", phase: 2 },
    ]);
    const rdd = runTrain(wasm, { ...conv, method: "rdd", epochs: 1, rdd: { seconds: 0.3 } }, data);
    expect(rdd.state.metrics[0].phase).toMatchObject({ method: "rdd", phase: 1, steps: 300 });
    const fa = runTrain(wasm, { ...conv, method: "fa", epochs: 2 }, data);
    // same seed: FA keeps its initial random B, SAL's updates have moved it (RDD sets B every 10 s of simulation only)
    for (let l = 0; l < 3; l++) expect(Array.from(sal.fc[l].B!), `fc${l + 1}`).not.toEqual(Array.from(fa.fc[l].B!));
  });

  it("a feedback phase runs before every epoch and may set B (here: B := W makes FA exact)", () => {
    const calls: number[] = [];
    const r = runTrain(wasm, { ...conv, method: "sal", epochs: 2 }, data, {
      phase: {
        beforeEpoch(_k, fcs, epoch) {
          calls.push(epoch);
          for (const l of fcs) l.B!.view.set(l.W.view);
          return { seconds: 0, copied: fcs.length };
        },
      },
    });
    expect(calls).toEqual([1, 2]);
    for (const m of r.state.metrics) {
      expect(m.phase).toMatchObject({ copied: 3 });
      for (const l of m.fc) expect(l.angleDeg).toBeLessThan(1e-3); // measured right after the phase
    }
  });
});
