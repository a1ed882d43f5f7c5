// Config files (YAML or JSON) and zod validation with one-line errors that
// name the field, the value and what is allowed.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { usage, UsageError, showValue } from "../errors.js";

/** Reads a YAML or JSON file (YAML is a superset of JSON). */
export function loadConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw usage("--config", path, `cannot read the file (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  try {
    return parseYaml(text, { prettyErrors: false }) ?? {};
  } catch (err) {
    const msg = (err as Error).message.split("\n")[0];
    throw usage("--config", path, `not valid YAML or JSON: ${msg}`);
  }
}

/** Walks `raw` along a zod issue path to show the offending value. */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function fieldName(path: readonly PropertyKey[]): string {
  let s = "";
  for (const key of path) s += typeof key === "number" ? `[${key}]` : s ? `.${String(key)}` : String(key);
  return s || "(config)";
}

/** Validates `raw` with `schema`; the first problem becomes a UsageError "<source> <field>: got <value>; <allowed>". */
export function parseConfig<S extends z.ZodType>(schema: S, raw: unknown, source = "config"): z.output<S> {
  const res = schema.safeParse(raw);
  if (res.success) return res.data;
  const issue = res.error.issues[0];
  const path = issue.path as PropertyKey[];
  if (issue.code === "unrecognized_keys") {
    const keys = (issue as { keys: string[] }).keys;
    const where = path.length ? ` in ${fieldName(path)}` : "";
    return fail(`${source}: unknown key${keys.length > 1 ? "s" : ""} ${keys.map((k) => `'${k}'`).join(", ")}${where}; remove or rename ${keys.length > 1 ? "them" : "it"}`);
  }
  const value = valueAt(raw, path);
  return fail(`${source} ${fieldName(path)}: got ${showValue(value)}; ${issue.message}`);
}

function fail(message: string): never {
  throw new UsageError(message);
}
