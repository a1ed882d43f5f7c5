// Thin adapter over assembly/nn.ts: buffer offsets in, nothing copied. The
// GEMM packing workspace is allocated once, when the backend is created
// (before any caller's mark, so no release can free it).
import type { Arena } from "../types.js";
import type { NnKernels } from "../nn.js";
import type { WasmContext } from "./instance.js";

export function nnKernels({ exports: ex }: WasmContext, arena: Arena): NnKernels {
  const ws = arena.alloc("f32", ex.gemmWorkspaceBytes() >> 2).ptr;
  return {
    gemm: (tA, tB, m, n, k, A, B, C, acc = false) =>
      ex.gemm(tA, tB, m, n, k, A.ptr, tA ? m : k, B.ptr, tB ? k : n, C.ptr, n, acc ? 1 : 0, ws),
    conv2dForward: (x, W, y, cols, n, cin, h, w, cout, ks) => ex.conv2dForward(x.ptr, W.ptr, y.ptr, cols.ptr, n, cin, h, w, cout, ks, ws),
    conv2dBackward: (x, dy, Wfb, gW, dx, cols, dcols, n, cin, h, w, cout, ks) =>
      ex.conv2dBackward(x.ptr, dy.ptr, Wfb.ptr, gW.ptr, dx ? dx.ptr : 0, cols.ptr, dcols.ptr, n, cin, h, w, cout, ks, ws),
    maxPool2Forward: (x, y, idx, planes, h, w) => ex.maxPool2Forward(x.ptr, y.ptr, idx.ptr, planes, h, w),
    maxPool2Backward: (dy, idx, dx, planes, h, w) => ex.maxPool2Backward(dy.ptr, idx.ptr, dx.ptr, planes, h, w),
    reluForward: (x, len) => ex.reluForward(x.ptr, len),
    reluBackward: (y, g, len) => ex.reluBackward(y.ptr, g.ptr, len),
    addBias: (y, b, rows, cols) => ex.addBias(y.ptr, b.ptr, rows, cols),
    colSum: (g, out, rows, cols) => ex.colSum(g.ptr, out.ptr, rows, cols),
    signMul: (B, W, out, len) => ex.signMul(B.ptr, W.ptr, out.ptr, len),
    sgdStep: (p, g, buf, len, lr, mom, wd) => ex.sgdStep(p.ptr, g.ptr, buf.ptr, len, lr, mom, wd),
    bnForward: (x, y, xhat, gamma, beta, mean, invstd, rm, rv, n, c, s, train, mom, eps) =>
      ex.bnForward(x.ptr, y.ptr, xhat.ptr, gamma.ptr, beta.ptr, mean.ptr, invstd.ptr, rm.ptr, rv.ptr, n, c, s, train, mom, eps),
    bnBackward: (dy, xhat, gamma, invstd, dx, dgamma, dbeta, n, c, s) =>
      ex.bnBackward(dy.ptr, xhat.ptr, gamma.ptr, invstd.ptr, dx.ptr, dgamma.ptr, dbeta.ptr, n, c, s),
    softmaxXent: (z, labels, probs, scratch, dz, pred, n, c, double) =>
      ex.softmaxXent(z.ptr, labels.ptr, probs.ptr, scratch.ptr, dz.ptr, pred.ptr, n, c, double),
  };
}
