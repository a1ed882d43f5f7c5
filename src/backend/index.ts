// createBackend: the one place a backend is chosen (default wasm). If the
// runtime cannot compile the SIMD module, or cannot reserve the wasm memory
// (e.g. under `ulimit -v`), fall back to js with one warning.
import type { BackendName, Kernels } from "./types.js";
import { createJsBackend } from "./js/index.js";
import { createWasmBackend } from "./wasm/index.js";

export type { Kernels, BackendName, Buf, F32Buf, F64Buf, I32Buf, U32Buf, DType } from "./types.js";

export interface BackendOptions {
  /** A wasm binary to use instead of the embedded release build (e.g. build/debug.wasm). */
  wasmBinary?: BufferSource;
  /** Where the fallback warning goes (default: console.warn). */
  warn?: (line: string) => void;
}

export async function createBackend(name: BackendName = "wasm", opts: BackendOptions = {}): Promise<Kernels> {
  if (name === "js") return createJsBackend();
  if (name !== "wasm") throw new RangeError(`backend: '${String(name)}' is not one of wasm, js`);
  try {
    return await createWasmBackend(opts.wasmBinary);
  } catch (err) {
    const warn = opts.warn ?? console.warn;
    if (err instanceof WebAssembly.CompileError) {
      warn(`spike-align: this runtime cannot compile SIMD WebAssembly (${err.message}); using the js backend`);
      return createJsBackend();
    }
    if (err instanceof RangeError && /memory/i.test(err.message)) {
      warn(
        `spike-align: cannot reserve WebAssembly memory (${err.message.split("\n")[0]}` +
          `; a virtual-memory limit such as ulimit -v?); using the js backend (--backend js skips this try)`,
      );
      return createJsBackend();
    }
    throw err;
  }
}
