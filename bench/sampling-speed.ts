// Quick timing of the sampling bench cases on both backends (ns per op, best of 7 batches):
//   npx tsc -p tsconfig.json && node dist/bench/sampling-speed.js [filter]
import { createBackend } from "../src/backend/index.js";
import { cases } from "./cases/sampling.js";

const filter = process.argv[2] ?? "";
const backends = { wasm: await createBackend("wasm"), js: await createBackend("js") };
for (const c of cases) {
  const label = `${c.name} ${c.size}`;
  if (!label.includes(filter)) continue;
  const res: Record<string, number> = {};
  for (const [name, k] of Object.entries(backends)) {
    const m = k.mark();
    const fn = c.setup(k);
    fn();
    // best of 7 batches of ~budget/7 ms each: robust against other processes on a shared machine
    const budget = name === "js" ? 1400 : 700;
    let best = Infinity;
    for (let rep = 0; rep < 7; rep++) {
      let calls = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < budget / 7) {
        fn();
        calls++;
      }
      best = Math.min(best, ((performance.now() - t0) * 1e6) / (calls * (c.opsPerCall ?? 1)));
    }
    res[name] = best;
    k.release(m);
  }
  console.log(
    `${label.padEnd(22)} wasm ${res.wasm.toFixed(2).padStart(10)} ns/op   js ${res.js.toFixed(2).padStart(10)} ns/op` +
      `   js/wasm ${(res.js / res.wasm).toFixed(1)}`,
  );
}
