// The STDWI kernel against a literal transcription of the authors' toy
// (docs/models/spiking-feedback.md#stdwi; unibe-cns/sal-code:
// symmnet/src/symmnet/stdwi_original.py): PSPs as explicit convolutions over
// the spike history, LIF steps, traces, and the rule as src/learning/stdwi.ts
// states it. The stimulus spikes are read back from the kernel's ring;
// everything else is recomputed.
import { expect, it } from "vitest";
import { describeBackends } from "../helpers/backends.js";
import { StdwiNet } from "../../src/models/stdwiNet.js";
import { STDWI_H, STDWI_RING } from "../../src/backend/stdwi.js";
import { STDWI_DEFAULTS, stdwiSlowAmplitude, stdwiUpdateRow } from "../../src/learning/stdwi.js";
import { tsRandom } from "../../src/rng/seeds.js";

const C = { ...STDWI_DEFAULTS, stimRatio: 0.5, eta: 0.05 };

describeBackends("stdwi kernel", (k) => {
  it("follows the authors' toy: spikes exactly, voltages to 1e-4, B to 5e-5", () => {
    const nIn = 9,
      nOut = 6,
      dt = C.dt,
      lag = Math.round((C.pspTrunc * C.tauPspSlow) / dt);
    const r = tsRandom(2, "stdwi-kernel-test");
    const W = Float32Array.from({ length: nIn * nOut }, () => r.range(-0.2, 0.6));
    const B0 = Float32Array.from({ length: nIn * nOut }, () => r.range(-0.3, 0.3));
    const net = new StdwiNet(k(), nIn, nOut, C, 4);
    net.setForward(W);
    net.setFeedback(B0);
    const kernel = (d: number) =>
      d < 0 || d >= lag ? 0 : (Math.exp((-d * dt) / C.tauPspSlow) - Math.exp((-d * dt) / C.tauPspFast)) / (C.tauPspSlow - C.tauPspFast);
    const stimT: number[][] = Array.from({ length: nIn }, () => []),
      inT: number[][] = Array.from({ length: nIn }, () => []);
    const vIn = Array(nIn).fill(0),
      vOut = Array(nOut).fill(0),
      xf = Array(nIn).fill(0),
      xs = Array(nIn).fill(0);
    const B = Float32Array.from(B0);
    const aS = stdwiSlowAmplitude(C),
      kLif = dt / C.tauMem;
    let mismatch = 0,
      maxErr = 0,
      spikesOut = 0;
    const xpsp = (times: number[], t: number) => times.reduce((s, ts) => s + kernel(t - ts), 0);
    for (let t = 0; t < 5000; t++) {
      net.run(1);
      const I = net.st.I.view,
        F = net.st.F.view,
        o = net.st.o;
      if (t === 0) continue;
      const slot = o.stim + (t & (STDWI_RING - 1)) * ((nIn + 3) & ~3);
      const inputsNow: number[] = [],
        outNow: number[] = [];
      for (let j = 0; j < nIn; j++) {
        vIn[j] += kLif * (0 - vIn[j] + (C.stimWeight * xpsp(stimT[j], t - 1) - vIn[j]));
        if (vIn[j] >= C.vThreshold) {
          vIn[j] = C.vReset;
          inputsNow.push(j);
        }
      }
      for (let i = 0; i < nOut; i++) {
        let cur = 0;
        for (let j = 0; j < nIn; j++) cur += C.weightScale * W[i * nIn + j] * xpsp(inT[j], t - 1);
        vOut[i] += kLif * (0 - vOut[i] + (cur - vOut[i]));
        if (vOut[i] >= C.vThreshold) {
          vOut[i] = C.vReset;
          outNow.push(i);
        }
      }
      for (let j = 0; j < nIn; j++) if (I[slot + j]) stimT[j].push(t);
      for (const j of inputsNow) inT[j].push(t);
      for (let j = 0; j < nIn; j++) {
        const s = inputsNow.includes(j) ? 1 : 0;
        xf[j] = Math.exp(-dt / C.tauFast) * xf[j] + C.aFast * s;
        xs[j] = Math.exp(-dt / C.tauSlow) * xs[j] + aS * s;
      }
      for (const i of outNow) stdwiUpdateRow(B, i * nIn, xf, xs, nIn, C.eta, C.decay);
      // compare with the kernel
      const kIn = Array.from(I.subarray(o.listIn, o.listIn + I[STDWI_H.countIn]));
      const kOut = Array.from(I.subarray(o.listOut, o.listOut + I[STDWI_H.countOut]));
      if (JSON.stringify(kIn) !== JSON.stringify(inputsNow) || JSON.stringify(kOut) !== JSON.stringify(outNow)) mismatch++;
      spikesOut += outNow.length;
      for (let j = 0; j < nIn; j++) maxErr = Math.max(maxErr, Math.abs(F[o.vIn + j] - vIn[j]));
      for (let i = 0; i < nOut; i++) maxErr = Math.max(maxErr, Math.abs(F[o.vOut + i] - vOut[i]));
    }
    expect(mismatch).toBe(0);
    expect(maxErr).toBeLessThan(1e-4);
    expect(spikesOut).toBeGreaterThan(20);
    const got = net.feedback();
    let changed = 0;
    for (let e = 0; e < B.length; e++) {
      expect(got[e]).toBeCloseTo(B[e], 4); // f32 traces in the kernel, f64 here
      if (Math.abs(B[e] - B0[e]) > 1e-3) changed++;
    }
    expect(changed).toBeGreaterThan(B.length / 2);
  });
});
