// Kernel family: neural-network layers for the deep-net experiments
// (docs/models/deep-nets.md). All tensors are row-major f32 buffers; images are
// NCHW. Every call works on a whole batch, so the JS/wasm boundary is crossed
// once per layer per batch. Buffers are caller-owned (allocated once per batch
// shape through the backend arena); kernels allocate nothing. Sizes are element
// counts.
import type { F32Buf, I32Buf } from "./types.js";

export interface NnKernels {
  /**
   * C[m, n] = op(A) op(B) (+ C when `accumulate`); op(A) is m x k: A (stored m x k) or,
   * with `transA`, A^T (A stored k x m); op(B) is k x n: B (stored k x n) or, with
   * `transB`, B^T (B stored n x k). Leading dimensions are the stored row lengths.
   */
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, A: F32Buf, B: F32Buf, C: F32Buf, accumulate?: boolean): void;
  /**
   * Convolution, stride 1, no padding, no bias: y[n, co, oh, ow] = sum W[co, ci, ki, kj] x[n, ci, oh+ki, ow+kj],
   * x: n x cin x h x w, W: cout x cin x ks x ks, y: n x cout x (h-ks+1) x (w-ks+1).
   * `cols`: scratch of cin*ks*ks*(h-ks+1)*(w-ks+1) entries (one image's im2col matrix).
   */
  conv2dForward(
    x: F32Buf,
    W: F32Buf,
    y: F32Buf,
    cols: F32Buf,
    n: number,
    cin: number,
    h: number,
    w: number,
    cout: number,
    ks: number,
  ): void;
  /**
   * Convolution backward: gW = dL/dW (overwritten) from x and dy; when `dx` is given,
   * dx = the input gradient through `Wfb` (W for backprop, a fixed kernel of W's shape for FA).
   * `cols`, `dcols`: scratch as in conv2dForward.
   */
  conv2dBackward(
    x: F32Buf,
    dy: F32Buf,
    Wfb: F32Buf,
    gW: F32Buf,
    dx: F32Buf | null,
    cols: F32Buf,
    dcols: F32Buf,
    n: number,
    cin: number,
    h: number,
    w: number,
    cout: number,
    ks: number,
  ): void;
  /** Max-pool 2x2 stride 2 over `planes` planes of h x w (even): y = window max, idx = its position 0..3 (first max wins). */
  maxPool2Forward(x: F32Buf, y: F32Buf, idx: I32Buf, planes: number, h: number, w: number): void;
  /** dx = dy routed to each window's maximum, 0 elsewhere. */
  maxPool2Backward(dy: F32Buf, idx: I32Buf, dx: F32Buf, planes: number, h: number, w: number): void;
  /** x = max(x, 0) in place over `len` entries. */
  reluForward(x: F32Buf, len: number): void;
  /** g = 0 where the ReLU output y <= 0. */
  reluBackward(y: F32Buf, g: F32Buf, len: number): void;
  /** y[r, :] += b (rows x cols). */
  addBias(y: F32Buf, b: F32Buf, rows: number, cols: number): void;
  /** out[j] = sum_r g[r, j] (rows x cols). */
  colSum(g: F32Buf, out: F32Buf, rows: number, cols: number): void;
  /** out = B * sign(W), sign(0) = 0 (sign-concordant feedback). */
  signMul(B: F32Buf, W: F32Buf, out: F32Buf, len: number): void;
  /** torch.optim.SGD step: g' = g + wd p; buf = momentum buf + g'; p -= lr buf. */
  sgdStep(p: F32Buf, g: F32Buf, buf: F32Buf, len: number, lr: number, momentum: number, weightDecay: number): void;
  /**
   * Batch norm over x[n, c, s] (s = 1: BatchNorm1d on n x c; s = h*w: BatchNorm2d). Train mode: batch
   * mean and biased variance per channel, xhat stored, running stats updated with `momentum` (unbiased
   * variance); eval mode: running stats. y = gamma xhat + beta; mean and invstd (per channel) are written.
   */
  bnForward(
    x: F32Buf,
    y: F32Buf,
    xhat: F32Buf,
    gamma: F32Buf,
    beta: F32Buf,
    mean: F32Buf,
    invstd: F32Buf,
    runMean: F32Buf,
    runVar: F32Buf,
    n: number,
    c: number,
    s: number,
    train: boolean,
    momentum: number,
    eps: number,
  ): void;
  /** Batch norm backward (train mode): dx, dgamma, dbeta (overwritten) from dy, xhat, gamma, invstd. */
  bnBackward(
    dy: F32Buf,
    xhat: F32Buf,
    gamma: F32Buf,
    invstd: F32Buf,
    dx: F32Buf,
    dgamma: F32Buf,
    dbeta: F32Buf,
    n: number,
    c: number,
    s: number,
  ): void;
  /**
   * Softmax and mean cross-entropy over n rows of c logits; with `double`, the cross-entropy is applied
   * to the softmax output (the authors' quirk). Writes probs = softmax(z), dz = d(mean loss)/dz,
   * pred = argmax z; `scratch`: n x c. Returns the summed (not mean) loss.
   */
  softmaxXent(
    z: F32Buf,
    labels: I32Buf,
    probs: F32Buf,
    scratch: F32Buf,
    dz: F32Buf,
    pred: I32Buf,
    n: number,
    c: number,
    double: boolean,
  ): number;
}
