// Config files (YAML or JSON) and zod validation with one-line errors that
// name the field, the value and what is allowed.
//
// Files in: a file is read only if it is a regular file of at most
// MAX_CONFIG_BYTES; `.json` files are parsed as JSON, everything else as
// YAML (no custom tags: an unknown tag is an error, never a warning line);
// an empty file is an error; the keys `__proto__`, `constructor` and
// `prototype` are unknown keys wherever they appear.
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { ioReason, usage, UsageError, showValue } from "../errors.js";

/** Largest config file read (bytes). */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** Keys that would reach Object.prototype through a merge: never valid config keys. */
const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Reads a regular file of at most `maxBytes` as UTF-8. Never blocks on a FIFO or a device and never
 * reads more than maxBytes + 1 bytes. `flag` names the option in errors (e.g. "--config").
 */
export function readRegularFile(path: string, flag: string, maxBytes: number): string {
  const b = readRegularBytes(path, flag, maxBytes);
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("utf8");
}

/** readRegularFile as bytes (a binary checkpoint). */
export function readRegularBytes(path: string, flag: string, maxBytes: number): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw usage(flag, path, `cannot read the file (${ioReason(err)})`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw usage(flag, path, "is a directory; give a file");
    if (!st.isFile()) throw usage(flag, path, "is not a regular file (a device, FIFO or socket)");
    if (st.size > maxBytes) throw usage(flag, path, `is ${fmtBytes(st.size)}; at most ${fmtBytes(maxBytes)} is read`);
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      let r: number;
      try {
        r = readSync(fd, buf, n, buf.length - n, null);
      } catch (err) {
        throw usage(flag, path, `cannot read the file (${ioReason(err)})`);
      }
      if (r === 0) break;
      n += r;
      if (n > maxBytes) throw usage(flag, path, `is larger than ${fmtBytes(maxBytes)}; at most that much is read`);
    }
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** "4.0 MB", "812 bytes". */
export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n / 1024,
    u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** Throws a UsageError at the first key `__proto__`, `constructor` or `prototype` anywhere in `raw`. */
export function rejectReservedKeys(raw: unknown, source: string, path = ""): void {
  if (raw === null || typeof raw !== "object") return;
  if (Array.isArray(raw)) {
    raw.forEach((v, i) => rejectReservedKeys(v, source, `${path}[${i}]`));
    return;
  }
  for (const key of Object.keys(raw)) {
    if (RESERVED_KEYS.has(key)) throw new UsageError(`${source}: unknown key '${key}'${path ? ` in ${path}` : ""}; remove it`);
    rejectReservedKeys((raw as Record<string, unknown>)[key], source, path ? `${path}.${key}` : key);
  }
}

/** Parses config text: JSON for `.json` files, YAML otherwise; one-line errors. */
export function parseConfigText(text: string, path: string, flag = "--config"): unknown {
  if (text.trim() === "") throw usage(flag, path, "the file is empty; give at least one key (or leave out --config)");
  if (/\.json$/i.test(path)) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw usage(flag, path, `not valid JSON: ${(err as Error).message.split("\n")[0]}`);
    }
  }
  const doc = parseDocument(text, { prettyErrors: false, logLevel: "silent", uniqueKeys: true, customTags: [], strict: true });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) throw usage(flag, path, `not valid YAML: ${problem.message.split("\n")[0]}`);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw usage(flag, path, `not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  if (value === null || value === undefined) throw usage(flag, path, "holds no keys (only comments or null); give at least one key");
  return value;
}

/** Reads and parses a YAML or JSON config file (see the header for the rules). */
export function loadConfigFile(path: string, flag = "--config"): unknown {
  if (path === "") throw usage(flag, path, "an empty path; give a file");
  const raw = parseConfigText(readRegularFile(path, flag, MAX_CONFIG_BYTES), path, flag);
  rejectReservedKeys(raw, `config (${path})`);
  return raw;
}

/** Walks `raw` along a zod issue path to show the offending value. */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    if (!Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

export function fieldName(path: readonly PropertyKey[]): string {
  let s = "";
  for (const key of path) s += typeof key === "number" ? `[${key}]` : s ? `.${String(key)}` : String(key);
  return s || "(config)";
}

/** Validates `raw` with `schema`; the first problem becomes a UsageError "<source> <field>: got <value>; <allowed>". */
export function parseConfig<S extends z.ZodType>(schema: S, raw: unknown, source = "config"): z.output<S> {
  rejectReservedKeys(raw, source);
  const res = schema.safeParse(raw);
  if (res.success) return res.data;
  const issue = res.error.issues[0];
  const path = issue.path;
  if (issue.code === "unrecognized_keys") {
    const keys = (issue as { keys: string[] }).keys;
    const where = path.length ? ` in ${fieldName(path)}` : "";
    return fail(
      `${source}: unknown key${keys.length > 1 ? "s" : ""} ${keys.map((k) => `'${k}'`).join(", ")}${where}` +
        `; remove or rename ${keys.length > 1 ? "them" : "it"}`,
    );
  }
  const value = valueAt(raw, path);
  return fail(`${source} ${fieldName(path)}: got ${describeValue(value)}; ${issue.message}`);
}

/** A value for an error line; arrays and objects by their size (their content is rarely the point). */
function describeValue(v: unknown): string {
  if (Array.isArray(v))
    return v.length <= 8 && v.every((x) => typeof x !== "object" || x === null) ? showValue(v) : `a list of ${v.length}`;
  return showValue(v);
}

function fail(message: string): never {
  throw new UsageError(message);
}
