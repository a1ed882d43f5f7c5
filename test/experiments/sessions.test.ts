// Sessions advance a run a chunk of epochs at a time (for pages and workers);
// chunked or not, the run is the same.
import { describe, expect, it } from "vitest";
import { createBackend } from "../../src/backend/index.js";
import { SSN_PRESETS, ssnConfigSchema, SsnSession, runSsn } from "../../src/experiments/ssn/index.js";
import { PAIR_PRESETS, pairConfigSchema, PairSession, runPair } from "../../src/experiments/pair/index.js";

describe("sessions", () => {
  it("an SSN session advanced in chunks of 1, 2 and 7 epochs equals the run in one piece", async () => {
    const k = await createBackend("wasm");
    const cfg = ssnConfigSchema.parse({ ...SSN_PRESETS.minimal, preset: "minimal", epochs: 23, dur: 40, valStep: 5, valFactor: 3 });
    const whole = runSsn(k, cfg).state;
    const s = new SsnSession(k, cfg);
    const seen: number[] = [];
    for (const chunk of [1, 2, 7, 7, 100]) {
      s.advance(chunk);
      seen.push(s.state.epoch);
    }
    expect(seen).toEqual([1, 3, 10, 17, 23]);
    expect(s.done).toBe(true);
    const chunked = s.result().state;
    s.dispose();
    expect(chunked.W).toEqual(whole.W);
    expect(chunked.metrics.map((m) => m.dkl)).toEqual(whole.metrics.map((m) => m.dkl));
    expect(chunked.metrics.map((m) => m.epoch)).toEqual([0, 5, 10, 15, 20, 22]);
  });

  it("a pair session's result so far has the curves up to its epoch", async () => {
    const k = await createBackend("js");
    const cfg = pairConfigSchema.parse({ ...PAIR_PRESETS.quick, preset: "quick", epochs: 12 });
    const whole = runPair(k, cfg);
    const s = new PairSession(k, cfg);
    const part = s.advance(5).result();
    expect(part.W01).toHaveLength(6);
    expect(Array.from(part.W01)).toEqual(Array.from(whole.W01.slice(0, 6)));
    expect(s.done).toBe(false);
    expect(Array.from(s.advance().result().W10)).toEqual(Array.from(whole.W10));
    s.dispose();
  });
});
