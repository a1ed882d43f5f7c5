// The js backend: readable reference implementations of every kernel family,
// on typed arrays. Registry: one line per family.
import type { Kernels } from "../types.js";
import { jsArena } from "./arena.js";
import { rngKernels } from "./rngKernels.js";
import { mathfKernels } from "./mathfKernels.js";
import { microcircuitKernels } from "./microcircuitKernels.js";
import { samplingKernels } from "./samplingKernels.js";
import { linalgKernels } from "./linalgKernels.js";
import { salnetKernels } from "./salnetKernels.js";
import { rddKernels } from "./rddKernels.js";
import { stdwiKernels } from "./stdwiKernels.js";
import { nnKernels } from "./nnKernels.js";

export function createJsBackend(): Kernels {
  const arena = jsArena();
  // one object of every family: tsc checks that together they make the whole Kernels interface
  const k: Kernels = {
    ...arena,
    name: "js",
    ...rngKernels,
    ...mathfKernels,
    ...samplingKernels(arena),
    ...linalgKernels,
    ...microcircuitKernels,
    ...salnetKernels,
    ...rddKernels,
    ...stdwiKernels,
    ...nnKernels,
  };
  return k;
}
