// The page's side of a simulation worker: start / pause / resume / stop a run,
// callbacks for its metrics lines, and the worker's measured speed.
import type { FromWorker, StddReply, ToWorker } from "./protocol";

export interface BackendInfo {
  backend: string;
  simd: boolean;
  detail: string;
}

export interface RunEvents {
  started?(m: Extract<FromWorker, { type: "started" }>): void;
  rows?(m: Extract<FromWorker, { type: "rows" }>): void;
  summary?(s: Record<string, unknown>): void;
}

/** All workers of the page, for the speed read-out. */
export const clients: SimClient[] = [];

export class SimClient {
  readonly worker: Worker;
  readonly ready: Promise<BackendInfo>;
  /** Steps per second of the latest chunks (smoothed) while running, else 0. */
  stepsPerSecond = 0;
  running = false;
  /** Paused or stopped by the page: a chunk already on its way does not make it "running" again. */
  private held = false;
  private events: RunEvents = {};
  private stddSeq = 0;
  /** The id of the latest start; messages of earlier runs are dropped. */
  private runId = 0;
  private stddWaiting: ((r: StddReply) => void) | null = null;

  constructor(
    readonly label: string,
    backend: "wasm" | "js",
    private readonly onError: (label: string, message: string) => void,
  ) {
    this.worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: label });
    let resolveReady!: (b: BackendInfo) => void;
    this.ready = new Promise((r) => {
      resolveReady = r;
    });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      switch (m.type) {
        case "ready":
          resolveReady(m);
          break;
        case "started":
          if (m.id === this.runId) this.events.started?.(m);
          break;
        case "rows":
          if (m.id !== this.runId) break;
          this.running = m.running && !this.held;
          // smoothed over the last few chunks (a chunk's rate jumps when the machine is busy)
          this.stepsPerSecond = !this.running
            ? 0
            : this.stepsPerSecond > 0
              ? 0.8 * this.stepsPerSecond + 0.2 * m.stepsPerSecond
              : m.stepsPerSecond;
          this.events.rows?.(m);
          break;
        case "summary":
          if (m.id === this.runId) this.events.summary?.(m.summary);
          break;
        case "stdd":
          if (m.seq === this.stddSeq) this.stddWaiting?.(m);
          break;
        case "error":
          if (m.id !== null && m.id !== this.runId) break;
          this.running = false;
          this.stepsPerSecond = 0;
          this.onError(label, m.message);
          break;
      }
    };
    this.worker.onerror = (e) => {
      this.running = false;
      this.onError(label, e.message || "worker failed to load");
    };
    this.send({ type: "init", backend });
    clients.push(this);
  }

  private send(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  start(
    name: Extract<ToWorker, { type: "start" }>["name"],
    cfg: Record<string, unknown>,
    events: RunEvents,
    opts: { pace?: number; chunkMs?: number } = {},
  ): void {
    this.events = events;
    this.running = true;
    this.held = false;
    this.send({ type: "start", id: ++this.runId, name, cfg, ...opts });
  }

  pause(): void {
    this.held = true;
    this.running = false;
    this.stepsPerSecond = 0;
    this.send({ type: "pause" });
  }
  resume(): void {
    this.held = false;
    this.running = true;
    this.send({ type: "resume" });
  }
  stop(): void {
    this.held = true;
    this.running = false;
    this.stepsPerSecond = 0;
    this.events = {};
    this.runId++;
    this.send({ type: "stop" });
  }

  /** The exact STDD of one pair; a newer request supersedes an older one (its promise never settles). */
  stdd(cfg: Record<string, unknown>): Promise<StddReply> {
    const seq = ++this.stddSeq;
    this.send({ type: "stdd", seq, cfg });
    return new Promise((resolve) => {
      this.stddWaiting = (r) => {
        if (r.seq === seq) resolve(r);
      };
    });
  }
}
