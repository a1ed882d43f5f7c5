// The wasm backend: thin adapters that pass buffer offsets to the SIMD
// kernels of assembly/. Registry: one line per family.
import type { Kernels } from "../types.js";
import { loadWasm, wasmArena } from "./instance.js";
import { rngKernels } from "./rngKernels.js";
import { mathfKernels } from "./mathfKernels.js";
import { microcircuitKernels } from "./microcircuitKernels.js";
import { samplingKernels } from "./samplingKernels.js";
import { linalgKernels } from "./linalgKernels.js";
import { salnetKernels } from "./salnetKernels.js";
import { rddKernels } from "./rddKernels.js";
import { stdwiKernels } from "./stdwiKernels.js";
import { nnKernels } from "./nnKernels.js";

export async function createWasmBackend(binary?: BufferSource): Promise<Kernels> {
  const ctx = await loadWasm(binary);
  const arena = wasmArena(ctx);
  // one object of every family: tsc checks that together they make the whole Kernels interface
  const k: Kernels = {
    ...arena,
    name: "wasm",
    ...rngKernels(ctx),
    ...mathfKernels(ctx),
    ...samplingKernels(ctx, arena),
    ...linalgKernels(ctx),
    ...microcircuitKernels(ctx),
    ...salnetKernels(ctx),
    ...rddKernels(ctx),
    ...stdwiKernels(ctx),
    ...nnKernels(ctx, arena),
  };
  return k;
}
