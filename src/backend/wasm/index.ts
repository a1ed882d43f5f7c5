// The wasm backend: thin adapters that pass buffer offsets to the SIMD
// kernels of assembly/. Registry: one line per family.
import type { Kernels } from "../types.js";
import { loadWasm, wasmArena } from "./instance.js";
import { rngKernels } from "./rngKernels.js";
import { mathKernels } from "./mathKernels.js";
import { microcircuitKernels } from "./microcircuitKernels.js";

export async function createWasmBackend(binary?: BufferSource): Promise<Kernels> {
  const ctx = await loadWasm(binary);
  return Object.assign(wasmArena(ctx), { name: "wasm" as const }, rngKernels(ctx), mathKernels(ctx), microcircuitKernels(ctx));
}
