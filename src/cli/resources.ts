// What a run takes from the machine: its backend, and the size guard that
// refuses (exit 2) what will not fit or would take hours, unless --yes, and
// prints the estimate of a slow start.
import { totalmem } from "node:os";
import { UsageError } from "../errors.js";
import { fmtBytes } from "../config/load.js";
import { createBackend } from "../backend/index.js";
import type { BackendName, Kernels } from "../backend/index.js";
import type { Estimate } from "../experiments/descriptor.js";
import { fmtSeconds } from "../report/format.js";
import type { SharedOptions } from "./options.js";

export type { Estimate } from "../experiments/descriptor.js";
export { fmtSeconds };

/** wasm32 linear memory limit. */
export const WASM_MAX_BYTES = 4 * 1024 ** 3;

/**
 * Refuses (exit 2) a run whose estimated memory exceeds the machine's or whose first epoch (or
 * `span`) takes over an hour, unless --yes; wasm runs beyond wasm32's 4 GiB are refused either way.
 * When that time is over 10 s the estimate is printed (stderr, unless --quiet).
 */
export function guardResources(opts: SharedOptions, label: string, e: Estimate, backend: BackendName = opts.backend ?? "wasm"): void {
  const mem = totalmem();
  const span = e.span ?? "the first epoch";
  const est =
    e.bytes > 0
      ? `${e.what}: about ${fmtBytes(e.bytes)} of memory and ${fmtSeconds(e.firstEpochSeconds)} for ${span} ` +
        `(estimated; this machine has ${fmtBytes(mem)})`
      : `${e.what}: about ${fmtSeconds(e.firstEpochSeconds)} for ${span} (estimated)`;
  if (backend === "wasm" && (e.wasmBytes ?? 0) > WASM_MAX_BYTES) {
    throw new UsageError(
      `${label}: ${e.what} needs about ${fmtBytes(e.wasmBytes!)} of wasm memory, more than wasm32's 4 GB; ` +
        "use --backend js or a smaller size",
    );
  }
  if (!opts.yes && (e.bytes > mem || e.firstEpochSeconds > 3600)) {
    throw new UsageError(`${label}: ${est}; add --yes to run it anyway, or choose a smaller size`);
  }
  if (!opts.quiet && e.firstEpochSeconds > 10) {
    const unit = e.unit ? `, ${fmtSeconds(e.unit.seconds)} per ${e.unit.name}` : "";
    process.stderr.write(
      `${label}: ${e.what}: about ${fmtSeconds(e.firstEpochSeconds)} for ${span}${unit} (estimated); progress follows\n`,
    );
  }
}

/** Creates the requested backend; the SIMD fallback warning goes to stderr unless --quiet. */
export async function backendFor(opts: SharedOptions): Promise<Kernels> {
  return createBackend(opts.backend ?? "wasm", {
    warn: (l) => {
      if (!opts.quiet) process.stderr.write(l + "\n");
    },
  });
}
