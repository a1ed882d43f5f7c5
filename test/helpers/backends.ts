// Runs a suite once per backend (TF.js describeWithFlags style). The
// reasoned skip list names kernels a backend does not run, with why.
import { beforeAll, describe } from "vitest";
import { createBackend } from "../../src/backend/index.js";
import type { BackendName, Kernels } from "../../src/backend/index.js";

export const BACKENDS: BackendName[] = ["js", "wasm"];

/** Kernel names a backend skips, each with its reason (empty: both run everything). */
export const SKIP: Record<BackendName, Record<string, string>> = { js: {}, wasm: {} };

export function describeBackends(name: string, fn: (k: () => Kernels, backend: BackendName) => void): void {
  for (const b of BACKENDS) {
    describe(`${name} [${b}]`, () => {
      let kernels: Kernels;
      beforeAll(async () => {
        kernels = await createBackend(b);
      });
      fn(() => kernels, b);
    });
  }
}

/** Both backends, for tests that compare them directly. */
export async function bothBackends(): Promise<{ js: Kernels; wasm: Kernels }> {
  return { js: await createBackend("js"), wasm: await createBackend("wasm") };
}
