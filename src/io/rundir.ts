// The --out directory of a run: one protocol for every command.
//
// - Checked before the run: the path is created if missing (one level at a
//   time) or must be a directory, and it must be writable: taking the lock
//   file is the test. Any failure is one line naming the path and the reason.
// - Locked while the run writes: `.spike-align.lock` holds the PID (and
//   host) of the writer; a second process exits 2; the lock of a process
//   that no longer runs (kill -9) is taken over.
// - Never mixed: `.spike-align-run.json` (the manifest) lists every file
//   the run writes. A directory holding another run's outputs is refused
//   unless `--force`, which first removes exactly the files that run
//   listed (other files in the directory are left alone); `--resume` keeps
//   its own run's files. A directory with spike-align outputs but no
//   manifest (an older version) is refused: remove those files yourself.
// - At exit the lock and any temporary files go; a run that wrote nothing
//   leaves no trace (not even the directory, if it created it). A run killed
//   by a signal leaves its lock, which the next run takes over.
import { hostname } from "node:os";
import { join, resolve, dirname } from "node:path";
import { closeSync, linkSync, openSync, readdirSync, readFileSync, rmdirSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { UsageError } from "../errors.js";
import { makeDirs, OutDir, removeTempFiles, writeError, writeFileAtomic } from "./out.js";

export const LOCK_FILE = ".spike-align.lock";
export const MANIFEST_FILE = ".spike-align-run.json";
/** Files that mark a directory as holding spike-align outputs even without a manifest. */
export const OUTPUT_MARKERS = ["config.json", "summary.json", "metrics.jsonl", "checkpoint.json"];
const MANIFEST_FORMAT = "spike-align-run";

export interface RunDirOptions {
  /** The command writing here (recorded in the manifest; --resume must match it). */
  command: string;
  /** Remove the outputs of an earlier run (the files its manifest lists) first. */
  force?: boolean;
  /** Continue the run whose outputs are here: they stay. */
  resume?: boolean;
  /** Replace an earlier run of the same command without --force (demo's default directory). */
  replaceSameCommand?: boolean;
  /** The option that named the directory, for messages (default --out). */
  flag?: string;
}

interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  command: string;
  started: string;
  files: string[];
}

const open = new Set<RunDir>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  // No signal handlers: a run is synchronous, so a handler would only run after it, and Ctrl-C must
  // stop it at once. A killed run leaves its lock (taken over by the next run, the PID being gone)
  // and perhaps a temporary file (removed by the next run in the directory).
  process.on("exit", () => {
    removeTempFiles();
    for (const d of [...open]) d.close();
  });
}

/**
 * Creates `path` with the content of `tmp`, failing with EEXIST if it exists: a hard link (atomic,
 * the content complete at once), or where the file system has no hard links an exclusive create.
 */
function createExclusive(tmp: string, path: string): void {
  try {
    linkSync(tmp, path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "ENOSYS") throw err;
    const fd = openSync(path, "wx");
    try {
      writeSync(fd, readFileSync(tmp));
    } finally {
      closeSync(fd);
    }
  }
}

/** Whether process `pid` runs on this host (one we may not signal counts as running). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readManifest(path: string): Manifest | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return null;
  }
  try {
    const m = JSON.parse(text) as Manifest;
    if (
      m &&
      m.format === MANIFEST_FORMAT &&
      typeof m.command === "string" &&
      Array.isArray(m.files) &&
      m.files.every((f) => typeof f === "string" && !f.split("/").includes(".."))
    )
      return m;
  } catch {
    // unreadable manifest: treated as foreign outputs below
  }
  return { format: MANIFEST_FORMAT, version: 1, command: "unknown", started: "", files: [] };
}

function listing(names: string[], max = 3): string {
  return names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}

/** The run directory of one command invocation (see the header). Create it with `RunDir.open`. */
export class RunDir extends OutDir {
  private readonly files = new Set<string>();
  private closed = false;
  private wroteAny = false;
  private manifestWritten = false;

  private constructor(
    dir: string,
    private readonly abs: string,
    private readonly command: string,
    private readonly created: string | null,
    private readonly resumed: boolean,
    flag: string,
  ) {
    super(dir, undefined, flag);
  }

  protected override noteWrite(name: string): void {
    this.record(name);
  }

  /** Checks, locks and prepares `dir` for a run (see the header); throws a one-line UsageError. */
  static open(dir: string, o: RunDirOptions): RunDir {
    const flag = o.flag ?? "--out";
    if (dir === "") throw new UsageError(`${flag}: got ""; give a directory`);
    const abs = resolve(dir);
    const created = makeDirs(dir, flag);
    const rd = new RunDir(dir, abs, o.command, created, !!o.resume, flag);
    try {
      rd.lock();
    } catch (err) {
      rd.removeCreated();
      throw err;
    }
    open.add(rd);
    hookExit();
    try {
      rd.prepare(o);
    } catch (err) {
      rd.close();
      throw err;
    }
    return rd;
  }

  private lock(): void {
    const lock = join(this.abs, LOCK_FILE);
    const tmp = `${lock}.${process.pid}.tmp`;
    const host = hostname();
    try {
      writeFileSync(tmp, `${process.pid}\n${host}\n${new Date().toISOString()}\n`);
    } catch (err) {
      throw writeError(this.dir, "write there", err, this.flag);
    }
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          createExclusive(tmp, lock);
          return;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 2) throw writeError(this.dir, "write there", err, this.flag);
        }
        let pid = NaN,
          owner = "";
        try {
          [pid, owner] = ((lines) => [Number(lines[0]), lines[1] ?? ""])(readFileSync(lock, "utf8").split("\n"));
        } catch {
          continue; // gone meanwhile: try again
        }
        const local = owner === "" || owner === host;
        if (Number.isInteger(pid) && pid > 0 && (!local || isAlive(pid))) {
          throw new UsageError(
            `${this.flag} ${this.dir}: locked by process ${pid}${local ? "" : ` on ${owner}`}` +
              `, another spike-align run writing there; wait for it to end or use another directory`,
          );
        }
        try {
          unlinkSync(lock); // a stale lock: its process is gone
        } catch {
          // someone else took it over first; the next attempt sees theirs
        }
      }
    } finally {
      try {
        unlinkSync(tmp);
      } catch {
        /* linked or never written */
      }
    }
  }

  private prepare(o: RunDirOptions): void {
    const manifestPath = join(this.abs, MANIFEST_FILE);
    const old = readManifest(manifestPath);
    let entries: string[];
    try {
      entries = readdirSync(this.abs).filter((e) => e !== LOCK_FILE && e !== MANIFEST_FILE);
    } catch (err) {
      throw writeError(this.dir, "read the directory", err, this.flag);
    }
    if (o.resume) {
      if (old && old.command !== this.command && old.command !== "unknown")
        throw new UsageError(`${this.flag} ${this.dir}: holds a ${old.command} run, not ${this.command}`);
      for (const f of old?.files ?? []) this.files.add(f);
      this.removeStaleTemps(entries, [...this.files]);
    } else if (old) {
      if (!(o.force || (o.replaceSameCommand && old.command === this.command))) {
        const shown = old.files.length ? listing(old.files) : "its manifest";
        throw new UsageError(
          `${this.flag} ${this.dir}: holds the outputs of an earlier ${old.command} run (${shown})` +
            `; add --force to replace them, or pick another directory`,
        );
      }
      this.clear(old.files, entries);
    } else {
      const marked = entries.filter((e) => OUTPUT_MARKERS.includes(e));
      if (marked.length) {
        throw new UsageError(
          `${this.flag} ${this.dir}: holds outputs of another run (${listing(marked)})` +
            ` without a spike-align manifest (an older version?)` +
            `; --force only clears what a manifest lists: remove them yourself or pick another directory`,
        );
      }
    }
    this.writeManifest();
  }

  /** Removes the files of an earlier run (as its manifest lists them), their temporary files and emptied subdirectories. */
  private clear(files: string[], entries: string[]): void {
    for (const f of files) {
      try {
        unlinkSync(join(this.abs, f));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== "ENOENT") throw writeError(join(this.dir, f), "remove the earlier run's file", err, this.flag);
      }
    }
    this.removeStaleTemps(entries, files);
    const dirs = [...new Set(files.map((f) => dirname(f)).filter((d) => d !== "."))].sort((a, b) => b.length - a.length);
    for (const d of dirs) {
      try {
        rmdirSync(join(this.abs, d));
      } catch {
        /* not empty: other files stay */
      }
    }
    try {
      unlinkSync(join(this.abs, MANIFEST_FILE));
    } catch {
      /* rewritten next */
    }
  }

  /** Temporary files `<name>.<pid>.tmp` of listed names left by a killed process. */
  private removeStaleTemps(entries: string[], files: string[]): void {
    const listed = new Set(files);
    const dirs = new Set(["."]);
    for (const f of files) dirs.add(dirname(f));
    for (const d of dirs) {
      let names: string[];
      try {
        names = d === "." ? entries : readdirSync(join(this.abs, d));
      } catch {
        continue;
      }
      for (const e of names) {
        const m = /^(.*)\.(\d+)\.tmp$/.exec(e);
        const rel = d === "." ? m?.[1] : `${d}/${m?.[1]}`;
        if (m && listed.has(rel!) && Number(m[2]) !== process.pid) {
          try {
            unlinkSync(join(this.abs, d, e));
          } catch {
            /* gone */
          }
        }
      }
    }
  }

  private writeManifest(): void {
    const m: Manifest = {
      format: MANIFEST_FORMAT,
      version: 1,
      command: this.command,
      started: new Date().toISOString(),
      files: [...this.files],
    };
    writeFileAtomic(join(this.abs, MANIFEST_FILE), JSON.stringify(m, null, 2) + "\n", this.flag);
    this.manifestWritten = true;
  }

  private record(name: string): void {
    if (this.closed) throw new Error(`RunDir ${this.dir}: written after close`);
    this.wroteAny = true;
    if (this.files.has(name)) return;
    this.files.add(name);
    this.writeManifest();
  }

  /** The files this run (and, when resumed, its earlier part) wrote, relative to the directory. */
  listFiles(): string[] {
    return [...this.files];
  }

  /** Releases the lock; a run that wrote nothing leaves no manifest and no directory it created. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    open.delete(this);
    if (this.manifestWritten && !this.wroteAny && !this.resumed && this.files.size === 0) {
      try {
        unlinkSync(join(this.abs, MANIFEST_FILE));
      } catch {
        /* never written */
      }
    }
    try {
      const lock = join(this.abs, LOCK_FILE);
      if (Number(readFileSync(lock, "utf8").split("\n")[0]) === process.pid) unlinkSync(lock);
    } catch {
      // not ours or gone
    }
    if (!this.wroteAny) this.removeCreated();
  }

  private removeCreated(): void {
    if (!this.created) return;
    for (let d = this.abs; ; d = dirname(d)) {
      try {
        rmdirSync(d);
      } catch {
        return;
      }
      if (d === this.created || dirname(d) === d) return;
    }
  }
}
