// The --out directory: every file is written to a temporary name and
// renamed into place, so a crash never leaves a half-written file.
import { appendFileSync, mkdirSync, renameSync, writeFileSync, existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { usage } from "../errors.js";
import { stringifyJson } from "./json.js";
import { encodeNpy } from "./npy.js";

export { toJsonSafe, stringifyJson } from "./json.js";

/** Writes `data` to `path` atomically (temp file in the same directory, then rename). */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function csvCell(v: number | string): string {
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function toCsv(header: string[], rows: (number | string)[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
}

export class OutDir {
  private made = false;

  constructor(readonly dir: string) {
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw usage("--out", dir, "exists and is not a directory");
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  private ensure(): void {
    if (this.made) return;
    try {
      mkdirSync(this.dir, { recursive: true });
    } catch (err) {
      throw usage("--out", this.dir, `cannot create the directory (${(err as NodeJS.ErrnoException).code ?? "error"})`);
    }
    this.made = true;
  }

  write(name: string, data: string | Uint8Array): void {
    this.ensure();
    writeFileAtomic(this.path(name), data);
  }

  writeText(name: string, text: string): void {
    this.write(name, text);
  }

  writeJson(name: string, obj: unknown): void {
    this.write(name, stringifyJson(obj, 2) + "\n");
  }

  writeJsonl(name: string, rows: unknown[]): void {
    this.write(name, rows.map((r) => stringifyJson(r) + "\n").join(""));
  }

  /** Appends one JSON line (whole lines only; for metrics written while a run goes on). */
  appendJsonl(name: string, row: unknown): void {
    this.ensure();
    appendFileSync(this.path(name), stringifyJson(row) + "\n");
  }

  writeCsv(name: string, header: string[], rows: (number | string)[][]): void {
    this.write(name, toCsv(header, rows));
  }

  writeNpy(name: string, data: Float64Array | Float32Array | Int32Array | Uint32Array, shape: number[]): void {
    this.write(name, encodeNpy(data, shape));
  }
}
