import { createBackend, pair, stdd } from "spike-align";

// The SIMD wasm backend (or "js", the pure TypeScript reference).
const k = await createBackend("wasm");

// Fig. 2d: two neurons learn with the SAL window only; W[post][pre].
const cfg = { ...pair.PAIR_PRESETS.fig2d, preset: "fig2d", epochs: 500 };
const run = pair.runPair(k, cfg);
console.log(`W01 ${run.W01[0]} -> ${run.W01[cfg.epochs].toFixed(3)}, W10 ${run.W10[0]} -> ${run.W10[cfg.epochs].toFixed(3)}`);

// Fig. 2c, exactly (Markov chain): the expected SAL update of an asymmetric pair.
const res = stdd.runStdd(null, { ...stdd.STDD_PRESETS.fig2c, preset: "fig2c", pairs: [{ W01: 0.4, W10: 0.8 }] });
console.log("expected SAL update", res.pairs[0].exact?.expectedUpdate);
