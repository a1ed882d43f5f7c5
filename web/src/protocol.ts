// Messages between the page and its simulation workers (web/src/worker.ts).
import type { RunName } from "spike-align/browser";

export type ToWorker =
  | { type: "init"; backend: "wasm" | "js" }
  /** Start a run (replacing any); `pace` caps the units per second (to watch a fast run), `chunkMs` the work per message. */
  | { type: "start"; id: number; name: RunName; cfg: Record<string, unknown>; pace?: number; chunkMs?: number }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "stop" }
  /** The exact STDD and expected SAL update of one weight pair (latest request wins). */
  | { type: "stdd"; seq: number; cfg: Record<string, unknown> };

export interface StddReply {
  type: "stdd";
  seq: number;
  L: number;
  p: number[];
  expectedUpdate: { W01: number; W10: number };
  massCausal: number;
  ms: number;
}

export type FromWorker =
  | { type: "ready"; backend: string; simd: boolean; detail: string }
  /** Messages of a run carry the id of its start message (a page ignores those of a run it replaced). */
  | {
      type: "started";
      id: number;
      name: string;
      config: Record<string, unknown>;
      total: number;
      unit: string;
      target?: { p: number[]; W: number[] };
    }
  | {
      type: "rows";
      id: number;
      rows: unknown[];
      position: number;
      total: number;
      steps: number;
      stepsPerSecond: number;
      done: boolean;
      running: boolean;
    }
  | { type: "summary"; id: number; summary: Record<string, unknown> }
  | StddReply
  | { type: "error"; id: number | null; message: string };
