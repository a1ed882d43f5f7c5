// The standalone SAL alignment run (spec/deepnets.md section 5): a layered
// network of sampling neurons with fixed random forward weights W and
// feedback B that learns by SAL alone, one B update per epoch; after every
// epoch the alignment of each B_l with W_{l+1}^T (in the deep net's layout:
// B_fc,l with W_l).
import type { Kernels } from "../../backend/index.js";
import { SalNet } from "../../models/salNet.js";
import { angleDeg, corrcoef, diffVar } from "../../metrics/alignment.js";
import { subSeed, tsRandom } from "../../rng/seeds.js";
import type { AlignConfig } from "./config.js";
import type { RunHooks } from "../types.js";

export interface AlignEpoch {
  epoch: number;
  /** per fc layer l (B_l vs W_{l+1}^T) */
  angleDeg: number[];
  corrcoef: number[];
  diffVar: number[];
  /** spikes per neuron per step in each population during the epoch (null before the first) */
  rates: number[] | null;
}

export interface AlignResult {
  epochs: AlignEpoch[];
  W: Float32Array[];
  B: Float32Array[];
  steps: number;
  seconds: number;
  nsPerStep: number;
}

/**
 * The authors' initialisation (PyTorch defaults of their GLM layers): W_l ~ U(+-1/sqrt(n_l)),
 * the feedback of population l, B_l (n_l x n_{l+1}), ~ U(+-1/sqrt(n_{l+1})), biases of population p ~ U(+-1/sqrt(n_p)).
 * Returned in the deep net's layout (W_l and B_fc,l = B_l^T both n_{l+1} x n_l).
 */
export function alignInit(layers: number[], seed: number) {
  const r = tsRandom(seed, "align-init");
  const W: Float32Array[] = [], B: Float32Array[] = [], b: Float32Array[] = [];
  for (let l = 0; l < layers.length - 1; l++) {
    const nIn = layers[l], nOut = layers[l + 1];
    const bw = 1 / Math.sqrt(nIn), bb = 1 / Math.sqrt(nOut);
    W.push(Float32Array.from({ length: nOut * nIn }, () => r.range(-bw, bw)));
    B.push(Float32Array.from({ length: nOut * nIn }, () => r.range(-bb, bb)));
  }
  for (const n of layers) b.push(Float32Array.from({ length: n }, () => r.range(-1 / Math.sqrt(n), 1 / Math.sqrt(n))));
  return { W, B, b };
}

/** The run: metrics after every epoch (epoch 0 = before learning) through `hooks.onMetrics`, progress in epochs. */
export function runAlign(k: Kernels, cfg: AlignConfig, hooks: RunHooks<AlignEpoch> = {}): AlignResult {
  const mark = k.mark();
  try {
    const { W, B, b } = alignInit(cfg.layers, cfg.seed);
    const net = new SalNet(k, { layers: cfg.layers, batch: cfg.batch, tRef: cfg.tRef, windowLength: cfg.bufferLength * cfg.tRef }, subSeed(cfg.seed, "align-sim"));
    net.setInputBias(b[0]);
    net.setLayers(W.map((w, l) => ({ W: w, B: B[l], b: b[l + 1] })));
    const epochs: AlignEpoch[] = [];
    const record = (epoch: number, rates: number[] | null) => {
      const m: AlignEpoch = { epoch, angleDeg: [], corrcoef: [], diffVar: [], rates };
      for (let l = 0; l < W.length; l++) {
        const Bl = net.feedback(l);
        m.angleDeg.push(angleDeg(Bl, W[l]));
        m.corrcoef.push(corrcoef(Bl, W[l]));
        m.diffVar.push(diffVar(Bl, W[l]));
      }
      epochs.push(m);
      hooks.onMetrics?.(m);
      if (epoch > 0) hooks.onProgress?.(epoch, cfg.epochs, `angle ${m.angleDeg.map((a) => a.toFixed(1)).join(" / ")}`);
    };
    record(0, null);
    let seconds = 0;
    for (let e = 1; e <= cfg.epochs; e++) {
      const s0 = net.spikeCounts(), t0 = performance.now();
      net.run(cfg.stepsPerEpoch);
      net.update(cfg.salLr);
      seconds += (performance.now() - t0) / 1000;
      const s1 = net.spikeCounts();
      record(e, cfg.layers.map((n, p) => (s1[p] - s0[p]) / (n * cfg.batch * cfg.stepsPerEpoch)));
    }
    const steps = cfg.epochs * cfg.stepsPerEpoch;
    return { epochs, W, B: W.map((_, l) => net.feedback(l)), steps, seconds, nsPerStep: (seconds * 1e9) / steps };
  } finally {
    k.release(mark);
  }
}
