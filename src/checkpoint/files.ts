// Reading and writing checkpoints (Node; the format and its schemas:
// format.ts beside it). A checkpoint is read only as a regular file of
// at most MAX_CHECKPOINT_BYTES, parsed as JSON and validated against the
// command's schema (built from the run's config); every problem is one line
// naming the file and the field. A binary checkpoint (train's, whose
// header carries the same envelope) is read as bytes with readCheckpointBytes
// and its header checked with checkEnvelope and checkCheckpoint. A
// checkpoint is written atomically, and only after its state passed the
// command's check: a state that became non-finite stops the run with exit 2,
// naming the quantity and the epoch, and the last good checkpoint stays in
// place.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { z } from "zod";
import { UsageError, usage } from "../errors.js";
import { parseConfig, readRegularBytes, readRegularFile } from "../config/load.js";
import { CHECKPOINT_FORMAT, envelope } from "./format.js";
import type { OutDir } from "../io/out.js";

export const CHECKPOINT_FILE = "checkpoint.json";
/** Largest checkpoint read (V8 strings hold about 512 MB). */
export const MAX_CHECKPOINT_BYTES = 500 * 1024 * 1024;

export interface ReadCheckpointOptions {
  /** File name in the directory (default checkpoint.json). */
  name?: string;
  /** The option naming the directory (default --resume). */
  flag?: string;
}

/** A checkpoint file read and parsed, before its state is validated. */
export interface RawCheckpoint {
  path: string;
  raw: Record<string, unknown>;
  flag: string;
}

/**
 * Reads DIR/checkpoint.json: a regular file of JSON holding an object with this format and
 * `command` (so that a directory of another command is named as such before anything else).
 */
export function openCheckpoint(dir: string, command: string, o: ReadCheckpointOptions = {}): RawCheckpoint {
  const name = o.name ?? CHECKPOINT_FILE,
    flag = o.flag ?? "--resume";
  const path = join(dir, name);
  if (!existsSync(path)) throw usage(flag, dir, `no ${name} there (runs write one every --checkpoint-every epochs)`);
  const text = readRegularFile(path, flag, MAX_CHECKPOINT_BYTES);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${flag} ${path}: not valid JSON (${(err as Error).message.split("\n")[0]})`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new UsageError(
      `${flag} ${path}: got ${raw === null ? "null" : Array.isArray(raw) ? "a list" : typeof raw}; a checkpoint is a JSON object`,
    );
  return checkEnvelope(raw as Record<string, unknown>, path, command, flag);
}

/**
 * Checks the envelope's format and command of a parsed checkpoint (so that an older version's
 * checkpoint or another command's is named as such before its fields are validated).
 */
export function checkEnvelope(raw: Record<string, unknown>, path: string, command: string, flag = "--resume"): RawCheckpoint {
  if (raw.format !== CHECKPOINT_FORMAT) {
    throw new UsageError(
      `${flag} ${path}: not a spike-align checkpoint (no "format": "${CHECKPOINT_FORMAT}"` +
        `; an older version's checkpoint cannot be resumed)`,
    );
  }
  if (raw.command !== command)
    throw new UsageError(
      `${flag} ${path}: a checkpoint of ${typeof raw.command === "string" ? `\`${raw.command}\`` : "another command"}` +
        `, not of \`${command}\``,
    );
  return { path, raw, flag };
}

/** Largest binary checkpoint read: the most a Buffer holds. */
export const MAX_BINARY_CHECKPOINT_BYTES = 2 ** 32 - 2;

/**
 * Reads DIR/`name` (a binary checkpoint) as bytes: a regular file of at most `maxBytes`, never a
 * device or FIFO; one line naming the file otherwise.
 */
export function readCheckpointBytes(
  dir: string,
  name: string,
  flag = "--resume",
  maxBytes = MAX_BINARY_CHECKPOINT_BYTES,
): { path: string; bytes: Uint8Array } {
  const path = join(dir, name);
  if (!existsSync(path)) throw usage(flag, dir, `no ${name} there (runs write one every --checkpoint-every epochs)`);
  return { path, bytes: readRegularBytes(path, flag, maxBytes) };
}

/** Validates an opened checkpoint against the command's schema (built from the run's config); one line naming the field. */
export function checkCheckpoint<S extends z.ZodType>(ck: RawCheckpoint, schema: S): z.output<S> {
  return parseConfig(schema, ck.raw, `${ck.flag} ${ck.path}`);
}

/** openCheckpoint, then checkCheckpoint. */
export function readCheckpoint<S extends z.ZodType>(dir: string, command: string, schema: S, o: ReadCheckpointOptions = {}): z.output<S> {
  return checkCheckpoint(openCheckpoint(dir, command, o), schema);
}

/**
 * Writes a command's checkpoints into a run directory. `check` looks at a state before it is
 * written and names what is wrong with it (e.g. "W[3] is NaN"), or returns null. `encode` turns a
 * state into its JSON fields, or into the bytes of a binary checkpoint that carries its own envelope.
 */
export class Checkpointer<T extends object> {
  /** Epoch of the last checkpoint written (null: none yet). */
  lastEpoch: number | null = null;

  constructor(
    private readonly out: OutDir,
    private readonly command: string,
    private readonly check: (state: T) => string | null,
    /** Turns a state into its JSON fields (e.g. typed arrays into tensors with encodeTensor), or into bytes. */
    private readonly encode: (state: T) => object | Uint8Array = (s) => s,
    readonly name = CHECKPOINT_FILE,
  ) {}

  /** Writes `state` (with the envelope) unless `check` finds a problem: then the run stops (UsageError). */
  write(backend: string, state: T, epoch: number): void {
    const problem = this.check(state);
    if (problem) throw this.stop(problem, epoch);
    const body = this.encode(state);
    if (body instanceof Uint8Array) this.out.write(this.name, body);
    else this.out.writeJson(this.name, { ...envelope(this.command, backend), ...body });
    this.lastEpoch = epoch;
  }

  /** The error that stops a run whose state went bad at `epoch`, saying which checkpoint is kept. */
  stop(problem: string, epoch: number): UsageError {
    return stateError(
      this.command,
      problem,
      epoch,
      this.lastEpoch === null ? null : `${this.out.path(this.name)} (epoch ${this.lastEpoch})`,
    );
  }
}

/** "ssn: W[3] is NaN at epoch 120; the run stops (the last good checkpoint is kept: DIR/checkpoint.json (epoch 100))". */
export function stateError(command: string, problem: string, epoch: number, kept: string | null): UsageError {
  return new UsageError(
    `${command}: ${problem} at epoch ${epoch}` +
      `; the run stops${kept ? ` (the last good checkpoint is kept: ${kept})` : " (no checkpoint was written)"}` +
      `; lower the learning rates or check the inputs`,
  );
}
