// Errors of a command and its exit code: bad input (a UsageError, or a state
// that became non-finite, or memory that does not fit) is one line and exit
// code 2; anything else is an internal error, exit code 1.
import { UsageError } from "../errors.js";

/** Wraps a command action: UsageError -> one line, exit code 2; anything else -> exit code 1. */
export function runAction<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      reportError(err);
    }
  };
}

export function reportError(err: unknown): void {
  if (err instanceof UsageError) {
    process.stderr.write(`spike-align: ${err.message.split("\n")[0]}\n`);
    process.exitCode = 2;
  } else if (err instanceof RangeError && /\bis (NaN|-?Infinity); must be finite/.test(err.message)) {
    // a kernel's state guard met a non-finite weight or bias that no per-epoch check saw first
    process.stderr.write(
      `spike-align: the run's state became non-finite (${err.message.split("\n")[0]}); ` +
        "the run stops (a checkpoint, if any, is the last good state); lower the learning rates or check the inputs\n",
    );
    process.exitCode = 2;
  } else if (isOutOfMemory(err)) {
    process.stderr.write(
      `spike-align: out of memory (${(err as Error).message.split("\n")[0]}); ` +
        "choose a smaller size, or --backend js if the wasm memory is the limit\n",
    );
    process.exitCode = 2;
  } else {
    const e = err as Error;
    process.stderr.write(`spike-align: internal error: ${e?.message ?? String(err)}\n`);
    if (process.env.SPIKE_ALIGN_DEBUG) process.stderr.write(`${e?.stack}\n`);
    process.exitCode = 1;
  }
}

/** A RangeError of an allocation that did not fit (wasm memory growth, a typed array too large). */
function isOutOfMemory(err: unknown): boolean {
  return (
    err instanceof RangeError &&
    /out of memory|could not allocate|cannot allocate|array buffer allocation failed|invalid typed array length|invalid array buffer length/i.test(
      err.message,
    )
  );
}
