import { describe, expect, it } from "vitest";
import { bothBackends, describeBackends } from "../helpers/backends.js";

const XS = (() => {
  const xs: number[] = [];
  for (let x = -90; x <= 90; x += 0.0137) xs.push(x);
  xs.push(0, -0, 1e-8, -1e-8, 88, -87, 100, -100);
  return xs;
})();

describeBackends("mathf", (k) => {
  it("expArray matches Math.exp to 3e-7 relative on [-87, 88]", () => {
    const x = k().from("f32", XS),
      out = k().alloc("f32", XS.length);
    k().expArray(x, out);
    for (let i = 0; i < XS.length; i++) {
      const xi = Math.min(88, Math.max(-87, x.view[i]));
      const rel = Math.abs(out.view[i] - Math.exp(xi)) / Math.exp(xi);
      expect(rel, `x=${xi}`).toBeLessThan(3e-7);
    }
  });

  it("thresholdArray gives floor(sigmoid(u - ln tRef) * 2^32) within float error", () => {
    const us = [-20, -3, -1, 0, 0.5, 1, 3, 10, 30];
    const u = k().from("f32", us),
      t = k().alloc("u32", us.length);
    k().thresholdArray(u, t, 50);
    us.forEach((ui, i) => {
      const p = 1 / (1 + 50 * Math.exp(-ui));
      expect(Math.abs(t.view[i] / 2 ** 32 - p)).toBeLessThan(1e-6 * Math.max(p, 1e-3));
    });
    const sat = k().from("f32", [100]),
      ts = k().alloc("u32", 1);
    k().thresholdArray(sat, ts, 1);
    expect(ts.view[0]).toBe(0xffffffff);
  });
});

describe("mathf across backends", () => {
  it("exp and thresholds are bit-identical (SIMD lanes and scalar tails)", async () => {
    const { js, wasm } = await bothBackends();
    for (const n of [XS.length, 7, 3]) {
      const xj = js.from("f32", XS.slice(0, n)),
        xw = wasm.from("f32", XS.slice(0, n));
      const ej = js.alloc("f32", n),
        ew = wasm.alloc("f32", n);
      js.expArray(xj, ej);
      wasm.expArray(xw, ew);
      expect(Array.from(ew.view)).toEqual(Array.from(ej.view));
      const tj = js.alloc("u32", n),
        tw = wasm.alloc("u32", n);
      js.thresholdArray(xj, tj, 50);
      wasm.thresholdArray(xw, tw, 50);
      expect(Array.from(tw.view)).toEqual(Array.from(tj.view));
    }
  });
});
