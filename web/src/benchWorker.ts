// The speed measurement's worker: the same SSN run as `web/scripts/measure.mjs`
// makes in Node, advanced the same way (createRun, 100 epochs per call).
import { createBackend, createRun } from "spike-align/browser";

export interface BenchResult {
  backend: string;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  nsPerStep: number;
}

/** The worker's one message back: the result, or why there is none. */
export type BenchReply = { ok: true; result: BenchResult } | { ok: false; message: string };
const reply = (m: BenchReply) => (self as unknown as Worker).postMessage(m);

self.onmessage = async (e: MessageEvent<{ cfg: Record<string, unknown>; backend: "wasm" | "js"; chunk: number }>) => {
  try {
    const k = await createBackend(e.data.backend);
    const run = createRun(k, "ssn", e.data.cfg);
    let ms = 0;
    while (!run.done) {
      const t0 = performance.now();
      run.advance(e.data.chunk);
      ms += performance.now() - t0;
    }
    const s = run.summary() as { nsPerStep: number };
    const r: BenchResult = {
      backend: k.name,
      steps: run.steps,
      seconds: ms / 1000,
      stepsPerSecond: run.steps / (ms / 1000),
      nsPerStep: s.nsPerStep,
    };
    run.dispose();
    reply({ ok: true, result: r });
  } catch (err) {
    reply({ ok: false, message: String(err) });
  }
};
