// The layered network (docs/models/deep-nets.md) as parameters + activation
// buffers + forward / backward / SGD step over whole batches. Every buffer is
// allocated once, through the backend, for `maxBatch` samples; a smaller batch
// uses a prefix. The feedback method decides how each fc layer (and conv2)
// forms its input gradient (src/learning/).
import type { F32Buf, I32Buf, Kernels } from "../../backend/index.js";
import { fcFeedbackMatrix, METHODS } from "../../learning/feedback.js";
import type { FeedbackLayer, MethodSpec } from "../../learning/feedback.js";
import { KP_WEIGHT_DECAY, kpFeedbackGradient } from "../../learning/kp.js";
import { scfaMagnitude } from "../../learning/scfa.js";
import { tsRandom } from "../../rng/seeds.js";
import { layeredShapes } from "./spec.js";
import type { ConvShape, LayeredShapes, LayeredSpec } from "./spec.js";

/** Batch norm parameters, running statistics, gradients and per-batch statistics of one layer. */
export interface BnParams {
  c: number;
  gamma: F32Buf;
  beta: F32Buf;
  runMean: F32Buf;
  runVar: F32Buf;
  gGamma: F32Buf;
  gBeta: F32Buf;
  mGamma: F32Buf;
  mBeta: F32Buf;
  mean: F32Buf;
  invstd: F32Buf;
}

export interface ConvLayer extends ConvShape {
  name: string;
  W: F32Buf;
  /** Fixed random kernel for the FA input gradient (conv2 in non-BP methods), else null. */
  B: F32Buf | null;
  gW: F32Buf;
  mW: F32Buf;
  bn: BnParams;
  // activations: relu(conv) (BN input), xhat, BN output (reused as its gradient), pooled output, argmax
  r: F32Buf;
  xhat: F32Buf;
  y: F32Buf;
  out: F32Buf;
  idx: I32Buf;
  /** Gradient of the layer input (null for the first layer). */
  dIn: F32Buf | null;
}

export interface FcLayer extends FeedbackLayer {
  name: string;
  gb: F32Buf;
  mW: F32Buf;
  mb: F32Buf;
  /** Momentum of B when B is learned (KP). */
  mB: F32Buf | null;
  /** Hidden layers: ReLU then batch norm; the output layer has none. */
  bn: BnParams | null;
  /** W x + b (after ReLU in hidden layers); the logits in the last layer. */
  h: F32Buf;
  xhat: F32Buf | null;
  /** Layer output: BN output (hidden) or h (last). */
  out: F32Buf;
  dIn: F32Buf | null;
}

/** One SGD parameter group entry: parameter, its gradient, its momentum buffer, weight decay. */
export interface ParamEntry {
  name: string;
  p: F32Buf;
  g: F32Buf;
  buf: F32Buf;
  wd: number;
}

/** A parameter copied out of backend memory, with its shape (PyTorch's layout). */
export interface ParamArray {
  name: string;
  data: Float32Array;
  shape: number[];
}

export interface BatchResult {
  /** Summed cross-entropy over the batch. */
  loss: number;
  correct: number;
}

/** U(-bound, bound) from the named stream `init:<name>` of `seed`, mapped by `f`. */
function uniformInit(k: Kernels, n: number, bound: number, seed: number, name: string, f = (x: number) => x): F32Buf {
  const r = tsRandom(seed, `init:${name}`);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = f(r.range(-bound, bound));
  return k.from("f32", a);
}

function bnParams(k: Kernels, c: number): BnParams {
  const ones = () => k.from("f32", new Float32Array(c).fill(1));
  const z = () => k.alloc("f32", c);
  return {
    c,
    gamma: ones(),
    beta: z(),
    runMean: z(),
    runVar: ones(),
    gGamma: z(),
    gBeta: z(),
    mGamma: z(),
    mBeta: z(),
    mean: z(),
    invstd: z(),
  };
}

export class LayeredNet {
  readonly shapes: LayeredShapes;
  readonly method: MethodSpec;
  readonly convs: ConvLayer[] = [];
  readonly fcs: FcLayer[] = [];
  /** Input batch (maxBatch x c x h x w), labels, and the loss outputs. */
  readonly input: F32Buf;
  readonly labels: I32Buf;
  readonly probs: F32Buf;
  readonly pred: I32Buf;
  private readonly dLogits: F32Buf;
  private readonly lossScratch: F32Buf;
  private readonly cols: F32Buf | null;
  private readonly dcols: F32Buf | null;
  private readonly params: ParamEntry[] = [];

  /**
   * Allocates and initialises (PyTorch defaults, docs/models/deep-nets.md#architecture:
   * W, B, bias ~ U(+-1/sqrt(fan_in)), BN gamma 1, beta 0) from named seedrandom streams
   * `init:<layer>.<tensor>` of `seed`.
   */
  constructor(
    readonly k: Kernels,
    readonly spec: LayeredSpec,
    readonly seed: number,
    readonly maxBatch: number,
    /** The authors' CrossEntropyLoss on the softmax output. */
    readonly doubleSoftmax = true,
  ) {
    const shapes = layeredShapes(spec);
    if (typeof shapes === "string") throw new RangeError(shapes);
    this.shapes = shapes;
    this.method = METHODS[spec.method];
    const N = maxBatch;
    const { c, h, w } = spec.input;
    this.input = k.alloc("f32", N * c * h * w);
    let prevOut = this.input;
    let colsLen = 0;
    shapes.convs.forEach((s, i) => {
      const name = `conv${i + 1}`,
        fan = s.cin * s.ks * s.ks,
        nw = s.cout * fan,
        bound = 1 / Math.sqrt(fan);
      const plane = s.oh * s.ow;
      colsLen = Math.max(colsLen, fan * plane);
      const hasB = i > 0 && this.method.conv === "fa";
      const layer: ConvLayer = {
        ...s,
        name,
        W: uniformInit(k, nw, bound, seed, `${name}.W`),
        B: hasB ? uniformInit(k, nw, bound, seed, `${name}.B`) : null,
        gW: k.alloc("f32", nw),
        mW: k.alloc("f32", nw),
        bn: bnParams(k, s.cout),
        r: k.alloc("f32", N * s.cout * plane),
        xhat: k.alloc("f32", N * s.cout * plane),
        y: k.alloc("f32", N * s.cout * plane),
        out: k.alloc("f32", N * s.cout * s.ph * s.pw),
        idx: k.alloc("i32", N * s.cout * s.ph * s.pw),
        dIn: i > 0 ? k.alloc("f32", prevOut.length) : null,
      };
      this.convs.push(layer);
      this.params.push({ name: `${name}.W`, p: layer.W, g: layer.gW, buf: layer.mW, wd: 0 });
      this.pushBn(name, layer.bn);
      prevOut = layer.out;
    });
    this.cols = colsLen ? k.alloc("f32", colsLen) : null;
    this.dcols = colsLen ? k.alloc("f32", colsLen) : null;
    const dims = shapes.fc,
      L = dims.length - 1;
    for (let i = 0; i < L; i++) {
      const name = `fc${i + 1}`,
        nIn = dims[i],
        nOut = dims[i + 1],
        bound = 1 / Math.sqrt(nIn);
      const hidden = i < L - 1,
        rule = this.method.fc;
      const B = rule === "bp" ? null : uniformInit(k, nOut * nIn, bound, seed, `${name}.B`, rule === "scfa" ? scfaMagnitude : undefined);
      const hBuf = k.alloc("f32", N * nOut);
      const layer: FcLayer = {
        name,
        nIn,
        nOut,
        W: uniformInit(k, nOut * nIn, bound, seed, `${name}.W`),
        b: uniformInit(k, nOut, bound, seed, `${name}.b`),
        B,
        gW: k.alloc("f32", nOut * nIn),
        gb: k.alloc("f32", nOut),
        mW: k.alloc("f32", nOut * nIn),
        mb: k.alloc("f32", nOut),
        mB: rule === "kp" ? k.alloc("f32", nOut * nIn) : null,
        scratch: rule === "scfa" ? k.alloc("f32", nOut * nIn) : null,
        bn: hidden ? bnParams(k, nOut) : null,
        h: hBuf,
        xhat: hidden ? k.alloc("f32", N * nOut) : null,
        out: hidden ? k.alloc("f32", N * nOut) : hBuf,
        dIn: i > 0 || shapes.convs.length > 0 ? k.alloc("f32", N * nIn) : null,
      };
      this.fcs.push(layer);
      const wd = spec.fcWeightDecay ?? this.method.fcWeightDecay;
      this.params.push({ name: `${name}.W`, p: layer.W, g: layer.gW, buf: layer.mW, wd });
      this.params.push({ name: `${name}.b`, p: layer.b, g: layer.gb, buf: layer.mb, wd: 0 });
      if (layer.mB && layer.B)
        this.params.push({
          name: `${name}.B`,
          p: layer.B,
          g: kpFeedbackGradient(layer),
          buf: layer.mB,
          wd: spec.fcWeightDecay ?? KP_WEIGHT_DECAY,
        });
      if (layer.bn) this.pushBn(name, layer.bn);
    }
    const classes = dims[L];
    this.labels = k.alloc("i32", N);
    this.probs = k.alloc("f32", N * classes);
    this.pred = k.alloc("i32", N);
    this.dLogits = k.alloc("f32", N * classes);
    this.lossScratch = k.alloc("f32", N * classes);
  }

  private pushBn(name: string, bn: BnParams): void {
    this.params.push({ name: `${name}.bn.gamma`, p: bn.gamma, g: bn.gGamma, buf: bn.mGamma, wd: 0 });
    this.params.push({ name: `${name}.bn.beta`, p: bn.beta, g: bn.gBeta, buf: bn.mBeta, wd: 0 });
  }

  get classes(): number {
    return this.shapes.fc[this.shapes.fc.length - 1];
  }

  /** Forward pass of the first n samples of `input`; `train` selects batch-norm mode. */
  forward(n: number, train: boolean): void {
    const k = this.k,
      { bnMomentum: mom, bnEps: eps } = this.spec;
    let x = this.input;
    for (const l of this.convs) {
      const plane = l.oh * l.ow;
      k.conv2dForward(x, l.W, l.r, this.cols!, n, l.cin, l.h, l.w, l.cout, l.ks);
      k.reluForward(l.r, n * l.cout * plane);
      k.bnForward(
        l.r,
        l.y,
        l.xhat,
        l.bn.gamma,
        l.bn.beta,
        l.bn.mean,
        l.bn.invstd,
        l.bn.runMean,
        l.bn.runVar,
        n,
        l.cout,
        plane,
        train,
        mom,
        eps,
      );
      k.maxPool2Forward(l.y, l.out, l.idx, n * l.cout, l.oh, l.ow);
      x = l.out;
    }
    for (const l of this.fcs) {
      k.gemm(false, true, n, l.nOut, l.nIn, x, l.W, l.h);
      k.addBias(l.h, l.b, n, l.nOut);
      if (l.bn) {
        k.reluForward(l.h, n * l.nOut);
        k.bnForward(
          l.h,
          l.out,
          l.xhat!,
          l.bn.gamma,
          l.bn.beta,
          l.bn.mean,
          l.bn.invstd,
          l.bn.runMean,
          l.bn.runVar,
          n,
          l.nOut,
          1,
          train,
          mom,
          eps,
        );
      }
      x = l.out;
    }
  }

  /** Loss of the last forward pass against `labels` (also writes the logits' gradient). */
  loss(n: number): BatchResult {
    const c = this.classes;
    const logits = this.fcs[this.fcs.length - 1].out;
    const loss = this.k.softmaxXent(logits, this.labels, this.probs, this.lossScratch, this.dLogits, this.pred, n, c, this.doubleSoftmax);
    const p = this.pred.view,
      y = this.labels.view;
    let correct = 0;
    for (let i = 0; i < n; i++) if (p[i] === y[i]) correct++;
    return { loss, correct };
  }

  /** Backward pass after forward(n, true) and loss(n): every parameter gradient. */
  backward(n: number): void {
    const k = this.k;
    let dOut = this.dLogits;
    for (let i = this.fcs.length - 1; i >= 0; i--) {
      const l = this.fcs[i];
      const x = i > 0 ? this.fcs[i - 1].out : this.convs.length ? this.convs[this.convs.length - 1].out : this.input;
      if (l.bn) {
        k.bnBackward(dOut, l.xhat!, l.bn.gamma, l.bn.invstd, dOut, l.bn.gGamma, l.bn.gBeta, n, l.nOut, 1);
        k.reluBackward(l.h, dOut, n * l.nOut);
      }
      k.gemm(true, false, l.nOut, l.nIn, n, dOut, x, l.gW);
      k.colSum(dOut, l.gb, n, l.nOut);
      if (l.dIn) {
        k.gemm(false, false, n, l.nIn, l.nOut, dOut, fcFeedbackMatrix(k, this.method.fc, l), l.dIn);
        dOut = l.dIn;
      }
    }
    for (let i = this.convs.length - 1; i >= 0; i--) {
      const l = this.convs[i];
      const plane = l.oh * l.ow;
      const x = i > 0 ? this.convs[i - 1].out : this.input;
      k.maxPool2Backward(dOut, l.idx, l.y, n * l.cout, l.oh, l.ow);
      k.bnBackward(l.y, l.xhat, l.bn.gamma, l.bn.invstd, l.y, l.bn.gGamma, l.bn.gBeta, n, l.cout, plane);
      k.reluBackward(l.r, l.y, n * l.cout * plane);
      k.conv2dBackward(x, l.y, l.B ?? l.W, l.gW, l.dIn, this.cols!, this.dcols!, n, l.cin, l.h, l.w, l.cout, l.ks);
      if (l.dIn) dOut = l.dIn;
    }
  }

  /** One SGD step with momentum on every parameter group (docs/models/deep-nets.md#training-loop). */
  step(lr: number, momentum: number): void {
    for (const e of this.params) this.k.sgdStep(e.p, e.g, e.buf, e.p.length, lr, momentum, e.wd);
  }

  /** Forward, loss, backward and SGD step on the first n samples of input/labels. */
  trainBatch(n: number, lr: number, momentum: number): BatchResult {
    this.forward(n, true);
    const r = this.loss(n);
    if (Number.isFinite(r.loss)) {
      this.backward(n);
      this.step(lr, momentum);
    }
    return r;
  }

  /** Eval-mode forward and loss. */
  evalBatch(n: number): BatchResult {
    this.forward(n, false);
    return this.loss(n);
  }

  /** Parameter groups (for tests and reports). */
  paramEntries(): readonly ParamEntry[] {
    return this.params;
  }

  /**
   * Every tensor that defines the training state, by name: parameters, feedback
   * matrices, batch-norm running statistics and momentum buffers (checkpoints).
   */
  stateTensors(): [string, F32Buf][] {
    const out: [string, F32Buf][] = [];
    const bn = (name: string, b: BnParams) => out.push([`${name}.bn.runMean`, b.runMean], [`${name}.bn.runVar`, b.runVar]);
    for (const l of this.convs) {
      if (l.B) out.push([`${l.name}.B`, l.B]);
      bn(l.name, l.bn);
    }
    for (const l of this.fcs) {
      if (l.B && !l.mB) out.push([`${l.name}.B`, l.B]);
      if (l.bn) bn(l.name, l.bn);
    }
    for (const e of this.params) out.push([e.name, e.p], [`${e.name}.momentum`, e.buf]);
    return out;
  }

  /** Final parameters with their shapes, for .npy output (momentum excluded). */
  parameterArrays(): ParamArray[] {
    const out: ParamArray[] = [];
    const bn = (name: string, b: BnParams) => {
      for (const [t, buf] of [
        ["gamma", b.gamma],
        ["beta", b.beta],
        ["running_mean", b.runMean],
        ["running_var", b.runVar],
      ] as const)
        out.push({ name: `${name}.bn.${t}`, data: buf.view.slice(), shape: [b.c] });
    };
    for (const l of this.convs) {
      const shape = [l.cout, l.cin, l.ks, l.ks];
      out.push({ name: `${l.name}.W`, data: l.W.view.slice(), shape });
      if (l.B) out.push({ name: `${l.name}.B`, data: l.B.view.slice(), shape });
      bn(l.name, l.bn);
    }
    for (const l of this.fcs) {
      out.push({ name: `${l.name}.W`, data: l.W.view.slice(), shape: [l.nOut, l.nIn] });
      out.push({ name: `${l.name}.b`, data: l.b.view.slice(), shape: [l.nOut] });
      if (l.B) out.push({ name: `${l.name}.B`, data: l.B.view.slice(), shape: [l.nOut, l.nIn] });
      if (l.bn) bn(l.name, l.bn);
    }
    return out;
  }
}
