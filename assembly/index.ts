// Entry point of the wasm module: re-exports every kernel. One module per
// kernel family; the js backend mirrors each one under src/backend/js/.
// The TS side: src/backend/wasm/ (one adapter per family; the signatures of
// these exports are generated into src/backend/wasm/exports.generated.ts).
export { alloc, mark, release } from "./memory";
export { rngSeed, rngJump, rngFillU32, rngFillUniform } from "./rng";
export { expArray, thresholdArray } from "./mathf";
export { samplingRun, samplingTable, populationRun } from "./sampling";
export { matvec, matvecT, matmul, axpy, outerAdd } from "./linalg";
export { mcRunPattern } from "./microcircuit";
export { gemmWorkspaceBytes, gemm } from "./gemm";
export { im2col, col2im, conv2dForward, conv2dBackward, maxPool2Forward, maxPool2Backward, reluForward, reluBackward } from "./nn";
export { addBias, colSum, signMul, sgdStep, bnForward, bnBackward, softmaxXent } from "./nn";
export { salnetRun, salnetFlush, salnetResync } from "./salnet";
export { rddRun } from "./rdd";
export { stdwiRun } from "./stdwi";

import { LAYOUT_HASH } from "./layout.generated";
/** Hash of the shared layout this module was built from (src/backend/layout.ts); the TS side checks it at load. */
export function layoutHash(): u32 {
  return LAYOUT_HASH;
}
