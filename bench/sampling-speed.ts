// Quick timing of the sampling bench cases on both backends (ns per op):
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
    const budget = name === "js" ? 1500 : 1000;
    let calls = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < budget) {
      fn();
      calls++;
    }
    res[name] = ((performance.now() - t0) * 1e6) / (calls * c.opsPerCall);
    k.release(m);
  }
  console.log(`${label.padEnd(22)} wasm ${res.wasm.toFixed(2).padStart(10)} ns/op   js ${res.js.toFixed(2).padStart(10)} ns/op   js/wasm ${(res.js / res.wasm).toFixed(1)}`);
}
