// Neural-network kernels (family nn) and whole training steps of the deep-net
// experiments, at the paper's shapes (batch 128, 28x28 inputs):
//   nn-gemm-*: the fc1 GEMMs of the conv net's classification part (forward A B^T,
//     weight gradient A^T B, input gradient A B);
//   nn-conv1/conv2-*: conv forward and backward per image (im2col + GEMM);
//   nn-train-conv / nn-train-mlp: forward + backward + SGD step of one batch of 128,
//     the number compared with PyTorch (bench/pytorch/nn_bench.py).
import type { Kernels } from "../../src/backend/index.js";
import { LayeredNet } from "../../src/models/layered/net.js";
import { DEFAULT_HIDDEN } from "../../src/models/layered/spec.js";
import type { Arch } from "../../src/models/layered/spec.js";
import type { BenchCase } from "../types.js";

function filled(k: Kernels, n: number, seed: number) {
  const b = k.alloc("f32", n);
  const v = b.view;
  for (let i = 0; i < n; i++) v[i] = (((i + seed) * 7919) % 1000) / 1000 - 0.5;
  return b;
}

const gemm = (name: string, tA: boolean, tB: boolean, m: number, n: number, kk: number): BenchCase => ({
  name: `nn-gemm-${name}`,
  size: `${m}x${n}x${kk}`,
  flops: 2 * m * n * kk,
  setup(k) {
    const A = filled(k, m * kk, 1),
      B = filled(k, kk * n, 2),
      C = k.alloc("f32", m * n);
    return () => k.gemm(tA, tB, m, n, kk, A, B, C);
  },
});

/** conv layer of the paper's net on 28x28 inputs: conv1 1->64 on 28x28, conv2 64->64 on 12x12; 5x5 kernels. */
const conv = (layer: 1 | 2, pass: "forward" | "backward"): BenchCase => {
  const cin = layer === 1 ? 1 : 64,
    hw = layer === 1 ? 28 : 12,
    cout = 64,
    ks = 5,
    o = hw - ks + 1;
  const images = 16,
    macs = cout * cin * ks * ks * o * o;
  // backward: weight gradient always, input gradient for conv2 only (conv1 needs none)
  const flopsPerImage = pass === "forward" ? 2 * macs : layer === 1 ? 2 * macs : 4 * macs;
  return {
    name: `nn-conv${layer}-${pass}`,
    size: `${cin}x${hw}x${hw}->${cout}`,
    unit: "image",
    opsPerCall: images,
    flops: flopsPerImage,
    setup(k) {
      const x = filled(k, images * cin * hw * hw, 1),
        W = filled(k, cout * cin * ks * ks, 2),
        y = filled(k, images * cout * o * o, 3);
      const cols = k.alloc("f32", cin * ks * ks * o * o),
        dcols = k.alloc("f32", cin * ks * ks * o * o),
        gW = k.alloc("f32", W.length);
      const dx = layer === 2 ? k.alloc("f32", x.length) : null;
      if (pass === "forward") return () => k.conv2dForward(x, W, y, cols, images, cin, hw, hw, cout, ks);
      return () => k.conv2dBackward(x, y, W, gW, dx, cols, dcols, images, cin, hw, hw, cout, ks);
    },
  };
};

/** Floating-point operations of one training step (multiply-adds of conv and fc layers, x2 for forward, x2 more for backward). */
export function trainStepFlops(arch: Arch, batch: number): number {
  const fc = arch === "conv" ? [1024, ...DEFAULT_HIDDEN.conv, 10] : [784, ...DEFAULT_HIDDEN.mlp, 10];
  let fwd = 0,
    bwd = 0;
  for (let i = 0; i + 1 < fc.length; i++) {
    fwd += fc[i] * fc[i + 1];
    bwd += (i === 0 && arch === "mlp" ? 1 : 2) * fc[i] * fc[i + 1];
  }
  if (arch === "conv") {
    const c1 = 64 * 25 * 24 * 24,
      c2 = 64 * 64 * 25 * 8 * 8;
    fwd += c1 + c2;
    bwd += c1 + 2 * c2;
  }
  return 2 * batch * (fwd + bwd);
}

/** One training step of the paper's model `arch` (BP, batch 128, 1x28x28 inputs), ready to call. */
export function trainStepFn(k: Kernels, arch: Arch): () => void {
  const net = new LayeredNet(
    k,
    {
      arch,
      input: { c: 1, h: 28, w: 28 },
      hidden: DEFAULT_HIDDEN[arch],
      classes: 10,
      method: "bp",
      convChannels: [64, 64],
      kernel: 5,
      bnMomentum: 0.1,
      bnEps: 1e-5,
    },
    1,
    128,
  );
  const x = net.input.view;
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i) * 1.5;
  for (let i = 0; i < 128; i++) net.labels.view[i] = i % 10;
  return () => net.trainBatch(128, 0.01, 0.9);
}

const trainStep = (arch: Arch): BenchCase => ({
  name: `nn-train-${arch}`,
  size: arch === "conv" ? "28x28 b128" : "784-1024-384-192-10 b128",
  unit: "batch",
  flops: trainStepFlops(arch, 128),
  setup: (k) => trainStepFn(k, arch),
});

export const cases: BenchCase[] = [
  gemm("AB^T", false, true, 128, 384, 1024),
  gemm("A^TB", true, false, 384, 1024, 128),
  gemm("AB", false, false, 128, 1024, 384),
  conv(1, "forward"),
  conv(1, "backward"),
  conv(2, "forward"),
  conv(2, "backward"),
  trainStep("mlp"),
  trainStep("conv"),
];
