// The speed page (bench.html): one SSN run per click (or ?repeats=N on load,
// for web/scripts/measure.mjs), each in a fresh Web Worker; the results are
// in the table and in `window.salBench`.
import type { BenchReply, BenchResult } from "./benchWorker";

const params = new URLSearchParams(location.search);
const cfg = JSON.parse(params.get("cfg") ?? '{"preset":"minimal"}') as Record<string, unknown>;
const backend = params.get("backend") === "js" ? "js" : "wasm";
const results: BenchResult[] = [];
const state = { running: false, results, error: null as string | null };
(globalThis as unknown as { salBench: typeof state }).salBench = state;

const rows = document.getElementById("rows")!,
  label = document.getElementById("state")!,
  button = document.getElementById("run") as HTMLButtonElement;

function once(): Promise<BenchResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL("./benchWorker.ts", import.meta.url), { type: "module" });
    w.onmessage = (e: MessageEvent<BenchReply>) => {
      w.terminate();
      if (e.data.ok) resolve(e.data.result);
      else reject(new Error(e.data.message));
    };
    w.onerror = (e) => {
      w.terminate();
      reject(new Error(e.message));
    };
    w.postMessage({ cfg, backend, chunk: 100 });
  });
}

async function run(n: number): Promise<void> {
  state.running = true;
  button.disabled = true;
  try {
    for (let i = 0; i < n; i++) {
      label.textContent = `running ${i + 1} of ${n}…`;
      const r = await once();
      results.push(r);
      const tr = document.createElement("tr");
      for (const v of [
        String(results.length),
        r.backend,
        String(r.steps),
        r.seconds.toFixed(2),
        (r.stepsPerSecond / 1e6).toFixed(1),
        r.nsPerStep.toFixed(2),
      ]) {
        const td = document.createElement("td");
        td.textContent = v;
        tr.append(td);
      }
      rows.append(tr);
    }
    label.textContent = "done";
  } catch (err) {
    state.error = String(err);
    label.textContent = state.error;
    console.error(err);
  } finally {
    state.running = false;
    button.disabled = false;
  }
}

button.addEventListener("click", () => void run(1));
const repeats = Number(params.get("repeats") ?? 0);
if (repeats > 0) void run(repeats);
