// Output files: every file is written to a temporary name in the same
// directory and renamed into place, so a crash never leaves a half-written
// file; a write that fails (full disk, no permission) removes its temporary
// file and becomes a one-line UsageError naming the path and the reason.
// Appended lines (metrics.jsonl) are whole lines or nothing. RunDir
// (rundir.ts) adds the protocol of a run's --out directory on top.
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ioReason, UsageError } from "../errors.js";
import { stringifyJson } from "./json.js";
import { encodeNpy } from "./npy.js";

export { toJsonSafe, stringifyJson } from "./json.js";

/** Temporary files being written by this process (removed at exit if still there). */
const liveTemps = new Set<string>();

/** Removes this process's temporary files that are still on disk (called at exit). */
export function removeTempFiles(): void {
  for (const t of liveTemps) {
    try {
      unlinkSync(t);
    } catch {
      // already gone
    }
  }
  liveTemps.clear();
}

/** The UsageError of a failed write: "<flag> <path>: cannot <what> (<reason>)". */
export function writeError(path: string, what: string, err: unknown, flag = "--out"): UsageError {
  if (err instanceof UsageError) return err;
  return new UsageError(`${flag} ${path}: cannot ${what} (${ioReason(err)})`);
}

function writeAll(fd: number, data: string | Uint8Array): void {
  const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

/**
 * Creates directory `dir` and its missing parents one level at a time (never a recursive mkdir,
 * which loops on /proc); returns the topmost directory it created, or null if `dir` existed.
 */
export function makeDirs(dir: string, flag = "--out"): string | null {
  const abs = resolve(dir);
  const missing: string[] = [];
  let p = abs;
  for (;;) {
    let st;
    try {
      st = statSync(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") throw writeError(p, "use this path", err, flag);
      missing.push(p);
      const up = dirname(p);
      if (up === p) throw writeError(p, "create the directory", err, flag);
      p = up;
      continue;
    }
    if (!st.isDirectory()) throw new UsageError(`${flag} ${dir}: ${p} exists and is not a directory`);
    break;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw writeError(missing[i], "create the directory", err, flag);
    }
  }
  return missing.length ? missing[missing.length - 1] : null;
}

/** Writes `data` to `path` atomically (temp file in the same directory, then rename); failures are UsageErrors. */
export function writeFileAtomic(path: string, data: string | Uint8Array, flag = "--out"): void {
  makeDirs(dirname(path), flag); // a name like params/fc1.W.npy: its subdirectory first
  const tmp = `${path}.${process.pid}.tmp`;
  let fd: number | null = null;
  liveTemps.add(tmp);
  try {
    fd = openSync(tmp, "w");
    writeAll(fd, data);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
    liveTemps.delete(tmp);
  } catch (err) {
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        /* closing after a failed write */
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      /* not created */
    }
    liveTemps.delete(tmp);
    throw writeError(path, "write", err, flag);
  }
}

/** Appends `text` (whole lines) to `path`; on failure the file is cut back to its old length. */
export function appendWhole(path: string, text: string, flag = "--out"): void {
  let fd: number;
  try {
    fd = openSync(path, "a");
  } catch (err) {
    throw writeError(path, "write", err, flag);
  }
  let size = -1;
  try {
    size = fstatSync(fd).size;
    writeAll(fd, text);
  } catch (err) {
    if (size >= 0) {
      try {
        ftruncateSync(fd, size);
      } catch {
        /* best effort: the file keeps whole lines only if this works */
      }
    }
    throw writeError(path, "write", err, flag);
  } finally {
    closeSync(fd);
  }
}

function csvCell(v: number | string): string {
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function toCsv(header: string[], rows: (number | string)[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
}

/**
 * A directory of output files. Writes are atomic and report failures as UsageErrors; `onWrite`
 * (used by RunDir) hears the relative name of every file written, before it is written.
 */
export class OutDir {
  private made = false;

  constructor(
    readonly dir: string,
    protected readonly onWrite?: (name: string) => void,
    protected readonly flag = "--out",
  ) {
    if (dir === "") throw new UsageError(`${flag}: got ""; give a directory`);
    let st;
    try {
      st = statSync(dir, { throwIfNoEntry: false });
    } catch (err) {
      throw writeError(dir, "use this path", err, flag);
    }
    if (st && !st.isDirectory()) throw new UsageError(`${flag} ${dir}: exists and is not a directory`);
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  protected ensure(): void {
    if (this.made) return;
    makeDirs(this.dir, this.flag);
    this.made = true;
  }

  /** Hears the relative name of every file about to be written (RunDir records it in its manifest). */
  protected noteWrite(name: string): void {
    this.onWrite?.(name);
  }

  write(name: string, data: string | Uint8Array): void {
    this.ensure();
    this.noteWrite(name);
    writeFileAtomic(this.path(name), data, this.flag);
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
    this.noteWrite(name);
    appendWhole(this.path(name), stringifyJson(row) + "\n", this.flag);
  }

  writeCsv(name: string, header: string[], rows: (number | string)[][]): void {
    this.write(name, toCsv(header, rows));
  }

  writeNpy(name: string, data: Float64Array | Float32Array | Int32Array | Uint32Array, shape: number[]): void {
    this.write(name, encodeNpy(data, shape));
  }

  /** The subdirectory `name` as an OutDir whose writes are reported here as "name/file". */
  sub(name: string): OutDir {
    return new OutDir(this.path(name), (f) => this.noteWrite(`${name}/${f}`), this.flag);
  }
}
