// A simulation worker: one backend (wasm SIMD, or the js fallback with the
// reason), one step-able run at a time from spike-align's browser entry,
// advanced a chunk at a time so that pause/stop messages get through; every
// chunk's metrics lines go to the page with the measured steps per second.
import { createBackend, createRun, runConfig, ssn, stdd, type ExperimentRun, type Kernels } from "spike-align/browser";
import type { FromWorker, ToWorker } from "./protocol";

const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);

let k: Kernels | null = null;
let run: ExperimentRun<unknown, unknown, object> | null = null;
let runId = 0;
let running = false;
let pace = 0;
let chunkMs = 40;
/** Units per millisecond of the current run, from the chunks so far. */
let unitsPerMs = 0;
let paceStart = 0;
let pacePosition = 0;
let pendingStdd: Extract<ToWorker, { type: "stdd" }> | null = null;

// zero-delay turns of the event loop (setTimeout would be clamped to 4 ms when nested)
const channel = new MessageChannel();
let scheduled = false;
channel.port1.onmessage = () => {
  scheduled = false;
  tick();
};
function schedule(delayMs = 0): void {
  if (delayMs > 0) {
    setTimeout(schedule, delayMs);
    return;
  }
  if (scheduled) return;
  scheduled = true;
  channel.port2.postMessage(0);
}

function fail(err: unknown): void {
  running = false;
  post({ type: "error", id: run ? runId : null, message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
}

function tick(): void {
  try {
    if (pendingStdd) answerStdd();
    if (!run || !running) return;
    if (run.done) {
      running = false;
      return;
    }
    let chunk = unitsPerMs > 0 ? Math.max(1, Math.round(chunkMs * unitsPerMs)) : 1;
    if (pace > 0) {
      // the position the pace allows by now, a frame ahead
      const allowed = pacePosition + ((performance.now() - paceStart + 33) / 1000) * pace;
      const room = Math.floor(allowed - run.position);
      if (room < 1) {
        schedule(Math.max(1, Math.ceil(((run.position + 1 - allowed) / pace) * 1000)));
        return;
      }
      chunk = Math.min(chunk, room);
    }
    const p0 = run.position,
      s0 = run.steps,
      t0 = performance.now();
    const rows = run.advance(chunk);
    const ms = performance.now() - t0;
    const units = run.position - p0;
    if (units > 0 && ms > 0) unitsPerMs = unitsPerMs > 0 ? 0.7 * unitsPerMs + 0.3 * (units / ms) : units / ms;
    const done = run.done;
    if (done) running = false;
    post({
      type: "rows",
      id: runId,
      rows,
      position: run.position,
      total: run.total,
      steps: run.steps,
      stepsPerSecond: ms > 0 ? ((run.steps - s0) / ms) * 1000 : 0,
      done,
      running,
    });
    if (done) post({ type: "summary", id: runId, summary: run.summary() as Record<string, unknown> });
    else schedule();
  } catch (err) {
    fail(err);
  }
}

/** The exact STDD of one weight pair: the experiment's own chain (milliseconds; no backend needed). */
function answerStdd(): void {
  const req = pendingStdd!;
  pendingStdd = null;
  const t0 = performance.now();
  const res = stdd.runStdd(null, runConfig("stdd", req.cfg));
  const exact = res.pairs[0].exact!;
  post({
    type: "stdd",
    seq: req.seq,
    L: exact.stdd.L,
    p: Array.from(exact.stdd.p),
    expectedUpdate: exact.expectedUpdate,
    massCausal: exact.stdd.massRight,
    ms: performance.now() - t0,
  });
}

function start(msg: Extract<ToWorker, { type: "start" }>): void {
  run?.dispose();
  run = null;
  running = false;
  unitsPerMs = 0;
  pace = msg.pace ?? 0;
  chunkMs = msg.chunkMs ?? 40;
  runId = msg.id;
  const r = createRun(k!, msg.name as "ssn", msg.cfg);
  run = r;
  let target: { p: number[]; W: number[] } | undefined;
  if (msg.name === "ssn") {
    const prob = ssn.buildProblem(r.config, true);
    target = { p: Array.from(prob.p ?? []), W: Array.from(prob.targetW) };
  }
  post({ type: "started", id: runId, name: msg.name, config: r.config, total: r.total, unit: r.unit, target });
  running = true;
  paceStart = performance.now();
  pacePosition = r.position;
  schedule();
}

/** The backend, once "init" has created it; every other message waits for it, in arrival order. */
let ready: Promise<void> = new Promise(() => {});

async function init(backend: "wasm" | "js"): Promise<void> {
  let reason = "";
  k = await createBackend(backend, {
    warn: (line) => {
      reason = line.replace(/^spike-align: /, "");
    },
  });
  const simd = k.name === "wasm";
  post({
    type: "ready",
    backend: k.name,
    simd,
    detail: simd ? "WebAssembly SIMD" : backend === "js" ? "requested by ?backend=js" : reason || "wasm unavailable",
  });
}

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  try {
    if (msg.type === "init") {
      ready = init(msg.backend);
      await ready;
      return;
    }
    await ready;
    switch (msg.type) {
      case "start":
        start(msg);
        break;
      case "pause":
        running = false;
        break;
      case "resume":
        if (run && !run.done) {
          running = true;
          paceStart = performance.now();
          pacePosition = run.position;
          schedule();
        }
        break;
      case "stop":
        running = false;
        run?.dispose();
        run = null;
        break;
      case "stdd":
        pendingStdd = msg;
        schedule();
        break;
    }
  } catch (err) {
    fail(err);
  }
};
