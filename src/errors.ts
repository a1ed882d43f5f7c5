// Error kinds. A UsageError is the user's to fix (bad flag, config, file):
// the CLI prints its one-line message and exits 2. Anything else thrown is
// an internal error (exit 1).

export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * A bad value of a command-line option, from an option's parser that lives outside the CLI (an
 * experiment's option specs): the CLI shows the message after commander's "argument '...' is invalid.".
 */
export class OptionValueError extends Error {
  override readonly name = "OptionValueError";
}

/** Formats a value for an error line: strings quoted, long values shortened. */
export function showValue(value: unknown): string {
  let s: string;
  if (typeof value === "string") s = JSON.stringify(value);
  else if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") s = String(value);
  else if (value === undefined) s = "nothing";
  else {
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch {
      /* cyclic, or holds a bigint */
    }
    // a function, a symbol or an object JSON cannot show: whatever String() makes of it
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the last resort, "[object Object]" included
    s = json ?? String(value);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** "<field>: got <value>; <allowed>" as a UsageError. */
export function usage(field: string, value: unknown, allowed: string): UsageError {
  return new UsageError(`${field}: got ${showValue(value)}; ${allowed}`);
}

/** The reason of a failed file operation: "ENOSPC: no space left on device" (no path, no syscall). */
export function ioReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.message === "string" && e.code) {
    const m = e.message.split(",")[0].trim();
    return m.startsWith(e.code) ? m : `${e.code}: ${m}`;
  }
  return String((err as Error)?.message ?? err);
}
