// The js backend: readable reference implementations of every kernel family,
// on typed arrays. Registry: one line per family.
import type { Kernels } from "../types.js";
import { jsArena } from "./arena.js";
import { rngKernels } from "./rngKernels.js";
import { mathKernels } from "./mathKernels.js";
import { microcircuitKernels } from "./microcircuitKernels.js";

export function createJsBackend(): Kernels {
  return Object.assign(jsArena(), { name: "js" as const }, rngKernels, mathKernels, microcircuitKernels);
}
