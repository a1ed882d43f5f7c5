// Runs a suite once per backend (TF.js describeWithFlags style). Both
// backends run every kernel, so there is no skip list.
import { beforeAll, describe } from "vitest";
import { createBackend } from "../../src/backend/index.js";
import type { BackendName, Kernels } from "../../src/backend/index.js";

export const BACKENDS: BackendName[] = ["js", "wasm"];

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
