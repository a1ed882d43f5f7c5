// JSON rules: non-finite numbers become null (JSON has no NaN/Infinity),
// typed arrays become plain arrays.

/** Deep copy of `x` that JSON.stringify renders faithfully. */
export function toJsonSafe(x: unknown): unknown {
  if (typeof x === "number") return Number.isFinite(x) ? x : null;
  if (x === null || typeof x !== "object") return x;
  if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>, (v) => (Number.isFinite(v) ? v : null));
  if (Array.isArray(x)) return x.map(toJsonSafe);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) if (v !== undefined) out[k] = toJsonSafe(v);
  return out;
}

export function stringifyJson(x: unknown, indent?: number): string {
  return JSON.stringify(toJsonSafe(x), null, indent);
}
