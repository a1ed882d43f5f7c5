// The nn kernel family on both backends: linear kernels (GEMM, conv and its
// backward, pooling, bias, SGD) against independent f64 loops at 1e-5
// relative to the scale of the terms; nonlinear ones (batch norm, softmax
// cross-entropy) against central finite differences of their own forward pass.
import { expect, it } from "vitest";
import { describeBackends } from "../helpers/backends.js";
import { tsRandom } from "../../src/rng/seeds.js";
import type { F32Buf, Kernels } from "../../src/backend/index.js";

const rand = (n: number, seed: number, lo = -1, hi = 1) => {
  const r = tsRandom(seed, "nn-conformance");
  return Array.from({ length: n }, () => r.range(lo, hi));
};

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, scale: ArrayLike<number> | number, rel = 1e-5, what = ""): void {
  expect(got.length).toBeGreaterThanOrEqual(want.length);
  for (let i = 0; i < want.length; i++) {
    const s = typeof scale === "number" ? scale : scale[i];
    expect(Math.abs(got[i] - want[i]), `${what} entry ${i}: got ${got[i]}, want ${want[i]}`).toBeLessThanOrEqual(rel * Math.max(1, s));
  }
}

/** op(A)(i,p) op(B)(p,j) summed in f64, and the same with |.| for the error scale. */
function refGemm(
  tA: boolean,
  tB: boolean,
  m: number,
  n: number,
  k: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  abs = false,
): number[] {
  const f = abs ? Math.abs : (x: number) => x;
  const c = new Array(m * n).fill(0);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++)
      for (let p = 0; p < k; p++) c[i * n + j] += f(tA ? a[p * m + i] : a[i * k + p]) * f(tB ? b[j * k + p] : b[p * n + j]);
  return c;
}

/** Direct convolution in f64 (stride 1, no padding). */
function refConv(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  n: number,
  cin: number,
  h: number,
  wd: number,
  cout: number,
  ks: number,
  abs = false,
): number[] {
  const f = abs ? Math.abs : (v: number) => v;
  const oh = h - ks + 1,
    ow = wd - ks + 1;
  const y = new Array(n * cout * oh * ow).fill(0);
  for (let i = 0; i < n; i++)
    for (let co = 0; co < cout; co++)
      for (let a = 0; a < oh; a++)
        for (let b = 0; b < ow; b++) {
          let s = 0;
          for (let ci = 0; ci < cin; ci++)
            for (let ki = 0; ki < ks; ki++)
              for (let kj = 0; kj < ks; kj++)
                s += f(w[((co * cin + ci) * ks + ki) * ks + kj]) * f(x[((i * cin + ci) * h + a + ki) * wd + b + kj]);
          y[((i * cout + co) * oh + a) * ow + b] = s;
        }
  return y;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

describeBackends("nn kernels", (kk) => {
  const k = (): Kernels => kk();

  it("gemm: all four transpositions, odd shapes and edge tiles, overwrite and accumulate, match f64 loops", () => {
    const shapes: [number, number, number][] = [
      [1, 1, 1],
      [3, 5, 7],
      [4, 8, 16],
      [9, 17, 13],
      [33, 70, 300],
      [130, 9, 5],
      [5, 520, 3],
      [0, 4, 3],
      [2, 3, 0],
    ];
    let seed = 1;
    for (const [m, n, kd] of shapes)
      for (const tA of [false, true])
        for (const tB of [false, true]) {
          const a = rand(m * kd, seed++),
            b = rand(kd * n, seed++),
            c0 = rand(m * n, seed++);
          const A = k().from("f32", a),
            B = k().from("f32", b),
            C = k().from("f32", c0);
          k().gemm(tA, tB, m, n, kd, A, B, C);
          const af = Array.from(A.view),
            bf = Array.from(B.view);
          const want = refGemm(tA, tB, m, n, kd, af, bf),
            scale = refGemm(tA, tB, m, n, kd, af, bf, true);
          expectClose(C.view, want, scale, 1e-5, `gemm ${tA ? "T" : "N"}${tB ? "T" : "N"} ${m}x${n}x${kd}`);
          C.view.set(c0);
          k().gemm(tA, tB, m, n, kd, A, B, C, true);
          expectClose(
            C.view,
            want.map((v, i) => v + Math.fround(c0[i])),
            scale.map((v) => v + 1),
            1e-5,
            "gemm accumulate",
          );
        }
  });

  it("a dense layer as the net runs it (A B^T + bias; A^T B, column sums, A B) equals the naive triple loops", () => {
    const n = 13,
      nin = 37,
      nout = 11;
    const x = rand(n * nin, 80),
      w = rand(nout * nin, 81),
      bias = rand(nout, 82),
      dy = rand(n * nout, 83),
      fb = rand(nout * nin, 84);
    const X = k().from("f32", x),
      W = k().from("f32", w),
      Bb = k().from("f32", bias),
      DY = k().from("f32", dy),
      FB = k().from("f32", fb);
    const Y = k().alloc("f32", n * nout),
      GW = k().alloc("f32", nout * nin),
      GB = k().alloc("f32", nout),
      DX = k().alloc("f32", n * nin);
    k().gemm(false, true, n, nout, nin, X, W, Y);
    k().addBias(Y, Bb, n, nout);
    k().gemm(true, false, nout, nin, n, DY, X, GW);
    k().colSum(DY, GB, n, nout);
    k().gemm(false, false, n, nin, nout, DY, FB, DX);
    const f = Math.fround;
    for (let i = 0; i < n; i++)
      for (let o = 0; o < nout; o++) {
        let s = f(bias[o]),
          a = Math.abs(f(bias[o]));
        for (let j = 0; j < nin; j++) {
          s += f(x[i * nin + j]) * f(w[o * nin + j]);
          a += Math.abs(f(x[i * nin + j]) * f(w[o * nin + j]));
        }
        expect(Math.abs(Y.view[i * nout + o] - s), `y ${i},${o}`).toBeLessThanOrEqual(1e-5 * Math.max(1, a));
      }
    for (let o = 0; o < nout; o++) {
      let sb = 0;
      for (let i = 0; i < n; i++) sb += f(dy[i * nout + o]);
      expect(GB.view[o]).toBeCloseTo(sb, 5);
      for (let j = 0; j < nin; j++) {
        let s = 0,
          a = 0;
        for (let i = 0; i < n; i++) {
          s += f(dy[i * nout + o]) * f(x[i * nin + j]);
          a += Math.abs(f(dy[i * nout + o]) * f(x[i * nin + j]));
        }
        expect(Math.abs(GW.view[o * nin + j] - s), `gW ${o},${j}`).toBeLessThanOrEqual(1e-5 * Math.max(1, a));
      }
    }
    for (let i = 0; i < n; i++)
      for (let j = 0; j < nin; j++) {
        let s = 0,
          a = 0;
        for (let o = 0; o < nout; o++) {
          s += f(dy[i * nout + o]) * f(fb[o * nin + j]);
          a += Math.abs(f(dy[i * nout + o]) * f(fb[o * nin + j]));
        }
        expect(Math.abs(DX.view[i * nin + j] - s), `dx ${i},${j}`).toBeLessThanOrEqual(1e-5 * Math.max(1, a));
      }
  });

  it("conv2dForward matches a direct f64 convolution; conv2dBackward is its exact adjoint (gW and dx)", () => {
    for (const [n, cin, h, w, cout, ks] of [
      [2, 1, 8, 9, 3, 5],
      [3, 4, 7, 7, 5, 3],
      [1, 3, 12, 12, 9, 5],
    ]) {
      const oh = h - ks + 1,
        ow = w - ks + 1;
      const x = rand(n * cin * h * w, 10 + n),
        wt = rand(cout * cin * ks * ks, 20 + cin),
        fb = rand(cout * cin * ks * ks, 30 + cin),
        gy = rand(n * cout * oh * ow, 40);
      const X = k().from("f32", x),
        W = k().from("f32", wt),
        FB = k().from("f32", fb),
        DY = k().from("f32", gy);
      const Y = k().alloc("f32", n * cout * oh * ow),
        cols = k().alloc("f32", cin * ks * ks * oh * ow),
        dcols = k().alloc("f32", cin * ks * ks * oh * ow);
      k().conv2dForward(X, W, Y, cols, n, cin, h, w, cout, ks);
      const xf = Array.from(X.view),
        wf = Array.from(W.view),
        fbf = Array.from(FB.view),
        gyf = Array.from(DY.view);
      expectClose(Y.view, refConv(xf, wf, n, cin, h, w, cout, ks), refConv(xf, wf, n, cin, h, w, cout, ks, true), 1e-5, "conv forward");
      const GW = k().alloc("f32", wt.length),
        DX = k().alloc("f32", x.length);
      GW.view.fill(7);
      k().conv2dBackward(X, DY, FB, GW, DX, cols, dcols, n, cin, h, w, cout, ks);
      // <dy, conv(x, e_q)> = dL/dW_q; <dy, conv(e_q, B)> = dx_q: conv is linear in each argument
      for (let q = 0; q < wt.length; q += 7) {
        const e = new Array(wt.length).fill(0);
        e[q] = 1;
        const want = dot(gyf, refConv(xf, e, n, cin, h, w, cout, ks));
        const scale = dot(gyf.map(Math.abs), refConv(xf.map(Math.abs), e, n, cin, h, w, cout, ks));
        expect(Math.abs(GW.view[q] - want), `gW ${q}`).toBeLessThanOrEqual(1e-5 * Math.max(1, scale));
      }
      for (let q = 0; q < x.length; q += 5) {
        const e = new Array(x.length).fill(0);
        e[q] = 1;
        const want = dot(gyf, refConv(e, fbf, n, cin, h, w, cout, ks));
        const scale = dot(gyf.map(Math.abs), refConv(e, fbf.map(Math.abs), n, cin, h, w, cout, ks));
        expect(Math.abs(DX.view[q] - want), `dx ${q}`).toBeLessThanOrEqual(1e-5 * Math.max(1, scale));
      }
    }
  });

  it("max-pool 2x2 picks the first maximum and routes the gradient there; ReLU and its mask", () => {
    const x = [1, 3, 2, 2, 5, 0, 2, 1, -1, -1, 4, 4, -1, -1, 4, 4]; // one 4x4 plane
    const X = k().from("f32", x),
      Y = k().alloc("f32", 4),
      I = k().alloc("i32", 4),
      DX = k().alloc("f32", 16);
    k().maxPool2Forward(X, Y, I, 1, 4, 4);
    expect(Array.from(Y.view)).toEqual([5, 2, -1, 4]);
    expect(Array.from(I.view)).toEqual([2, 0, 0, 0]);
    k().maxPool2Backward(k().from("f32", [10, 20, 30, 40]), I, DX, 1, 4, 4);
    expect(Array.from(DX.view)).toEqual([0, 0, 20, 0, 10, 0, 0, 0, 30, 0, 40, 0, 0, 0, 0, 0]);
    const r = k().from("f32", [-2, -0, 0.5, 3, -1, 2, 0, 7, -3]);
    k().reluForward(r, 9);
    expect(Array.from(r.view)).toEqual([0, 0, 0.5, 3, 0, 2, 0, 7, 0]);
    const g = k().from("f32", [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    k().reluBackward(r, g, 9);
    expect(Array.from(g.view)).toEqual([0, 0, 3, 4, 0, 6, 0, 8, 0]);
  });

  it("max-pool on wide planes (SIMD body and scalar tail), with ties: first maximum, gradient routed there", () => {
    for (const [planes, h, w] of [
      [3, 6, 24],
      [2, 4, 10],
      [1, 2, 2],
    ]) {
      const x = rand(planes * h * w, h * w, -2, 2).map((v) => Math.round(v * 2) / 2); // many ties
      const ph = h / 2,
        pw = w / 2,
        np = planes * ph * pw;
      const X = k().from("f32", x),
        Y = k().alloc("f32", np),
        I = k().alloc("i32", np),
        DX = k().alloc("f32", x.length);
      k().maxPool2Forward(X, Y, I, planes, h, w);
      const g = rand(np, 99);
      DX.view.fill(5);
      k().maxPool2Backward(k().from("f32", g), I, DX, planes, h, w);
      const wantDx = new Array(x.length).fill(0);
      let o = 0;
      for (let q = 0; q < planes; q++)
        for (let i = 0; i < ph; i++)
          for (let j = 0; j < pw; j++, o++) {
            const pos = [0, 1, w, w + 1].map((d) => q * h * w + 2 * i * w + 2 * j + d);
            const vals = pos.map((p) => x[p]);
            const best = vals.indexOf(Math.max(...vals));
            expect(Y.view[o]).toBe(Math.fround(vals[best]));
            expect(I.view[o]).toBe(best);
            wantDx[pos[best]] = Math.fround(g[o]);
          }
      expect(Array.from(DX.view)).toEqual(wantDx);
    }
  });

  it("addBias, colSum, signMul and the SGD step are exact element-wise formulas", () => {
    const rows = 3,
      cols = 6;
    const y = rand(rows * cols, 50),
      b = rand(cols, 51);
    const Y = k().from("f32", y),
      Bb = k().from("f32", b);
    k().addBias(Y, Bb, rows, cols);
    expect(Array.from(Y.view)).toEqual(y.map((v, i) => Math.fround(Math.fround(v) + Math.fround(b[i % cols]))));
    const S = k().alloc("f32", cols);
    k().colSum(Y, S, rows, cols);
    const yv = Array.from(Y.view);
    expectClose(
      S.view,
      Array.from({ length: cols }, (_, j) => yv[j] + yv[cols + j] + yv[2 * cols + j]),
      3,
      1e-6,
    );
    const W = k().from("f32", [1, -2, 0, 3, -0.5, 0, 2]),
      Bm = k().from("f32", [0.5, 0.25, 0.75, 1, 2, 3, 0]),
      O = k().alloc("f32", 7);
    k().signMul(Bm, W, O, 7);
    expect(Array.from(O.view)).toEqual([0.5, -0.25, 0, 1, -2, 0, 0]);
    const p = rand(9, 52),
      gr = rand(9, 53),
      buf = rand(9, 54);
    const P = k().from("f32", p),
      G = k().from("f32", gr),
      BUF = k().from("f32", buf);
    k().sgdStep(P, G, BUF, 9, 0.01, 0.9, 0.001);
    const f = Math.fround;
    for (let i = 0; i < 9; i++) {
      const bb = 0.9 * f(buf[i]) + (f(gr[i]) + 0.001 * f(p[i]));
      expect(BUF.view[i]).toBeCloseTo(bb, 6);
      expect(P.view[i]).toBeCloseTo(f(p[i]) - 0.01 * bb, 6);
    }
  });

  /** Scalar loss <r, y(x)>; its gradient by central differences in x (f32 forward, so h is not tiny). */
  function fdCheck(
    what: string,
    x: number[],
    r: number[],
    forward: (X: F32Buf) => Float32Array,
    analytic: ArrayLike<number>,
    h = 1e-2,
    tol = 2e-2,
  ): void {
    const loss = (xs: number[]) => dot(r, forward(k().from("f32", xs)));
    let worst = 0,
      norm = 0;
    for (let i = 0; i < x.length; i++) norm = Math.max(norm, Math.abs(analytic[i]));
    for (let i = 0; i < x.length; i++) {
      const xp = x.slice(),
        xm = x.slice();
      xp[i] += h;
      xm[i] -= h;
      const fd = (loss(xp) - loss(xm)) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - analytic[i]));
    }
    expect(worst / Math.max(norm, 1e-6), `${what}: max |fd - analytic| / max |analytic|`).toBeLessThan(tol);
  }

  it("batch norm 1-d and 2-d: train-mode backward matches finite differences; running stats and eval mode", () => {
    for (const [n, c, s] of [
      [7, 5, 1],
      [4, 3, 6],
      [3, 2, 9],
    ]) {
      const x = rand(n * c * s, 60 + s, -2, 2),
        r = rand(n * c * s, 61 + s),
        gam = rand(c, 62, 0.5, 1.5),
        bet = rand(c, 63);
      const bufs = () => ({
        y: k().alloc("f32", n * c * s),
        xh: k().alloc("f32", n * c * s),
        g: k().from("f32", gam),
        b: k().from("f32", bet),
        mean: k().alloc("f32", c),
        is: k().alloc("f32", c),
        rm: k().alloc("f32", c),
        rv: k().from("f32", new Array(c).fill(1)),
      });
      const fwd = (X: F32Buf) => {
        const q = bufs();
        k().bnForward(X, q.y, q.xh, q.g, q.b, q.mean, q.is, q.rm, q.rv, n, c, s, true, 0.1, 1e-5);
        return q.y.view.slice();
      };
      const q = bufs();
      const X = k().from("f32", x);
      k().bnForward(X, q.y, q.xh, q.g, q.b, q.mean, q.is, q.rm, q.rv, n, c, s, true, 0.1, 1e-5);
      // running stats: 0.9 * init + 0.1 * batch stats (unbiased variance)
      for (let j = 0; j < c; j++) {
        const vals: number[] = [];
        for (let i = 0; i < n; i++) for (let t = 0; t < s; t++) vals.push(Math.fround(x[(i * c + j) * s + t]));
        const mu = vals.reduce((a, v) => a + v, 0) / vals.length;
        const vb = vals.reduce((a, v) => a + (v - mu) ** 2, 0) / vals.length;
        expect(q.rm.view[j]).toBeCloseTo(0.1 * mu, 5);
        expect(q.rv.view[j]).toBeCloseTo(0.9 + (0.1 * vb * vals.length) / (vals.length - 1), 5);
        expect(q.is.view[j]).toBeCloseTo(1 / Math.sqrt(vb + 1e-5), 4);
      }
      const DY = k().from("f32", r),
        DX = k().alloc("f32", n * c * s),
        DG = k().alloc("f32", c),
        DB = k().alloc("f32", c);
      k().bnBackward(DY, q.xh, q.g, q.is, DX, DG, DB, n, c, s);
      fdCheck(`bn dx ${n}x${c}x${s}`, x, r, fwd, Array.from(DX.view));
      // dgamma = sum r xhat, dbeta = sum r
      for (let j = 0; j < c; j++) {
        let sg = 0,
          sb = 0;
        for (let i = 0; i < n; i++)
          for (let t = 0; t < s; t++) {
            const e = (i * c + j) * s + t;
            sg += r[e] * q.xh.view[e];
            sb += Math.fround(r[e]);
          }
        expect(DG.view[j]).toBeCloseTo(sg, 4);
        expect(DB.view[j]).toBeCloseTo(sb, 4);
      }
      // eval mode: (x - rm) / sqrt(rv + eps) * gamma + beta
      const Y2 = k().alloc("f32", n * c * s);
      k().bnForward(X, Y2, q.xh, q.g, q.b, q.mean, q.is, q.rm, q.rv, n, c, s, false, 0.1, 1e-5);
      for (let e = 0; e < n * c * s; e++) {
        const j = Math.floor(e / s) % c;
        expect(Y2.view[e]).toBeCloseTo(((X.view[e] - q.rm.view[j]) / Math.sqrt(q.rv.view[j] + 1e-5)) * q.g.view[j] + q.b.view[j], 4);
      }
    }
  });

  it("softmax cross-entropy (single and the authors' double softmax): loss, argmax and dz against finite differences", () => {
    const n = 5,
      c = 4;
    const z = rand(n * c, 70, -3, 3),
      labels = [0, 3, 1, 2, 3];
    for (const dbl of [false, true]) {
      const run = (zs: number[]) => {
        const P = k().alloc("f32", n * c),
          Q = k().alloc("f32", n * c),
          DZ = k().alloc("f32", n * c),
          PR = k().alloc("i32", n);
        const loss = k().softmaxXent(k().from("f32", zs), k().from("i32", labels), P, Q, DZ, PR, n, c, dbl);
        return { loss, P: P.view.slice(), DZ: DZ.view.slice(), PR: Array.from(PR.view) };
      };
      const res = run(z);
      // reference loss in f64
      let want = 0;
      for (let i = 0; i < n; i++) {
        const row = z.slice(i * c, i * c + c).map(Math.fround);
        const sm = (v: number[]) => {
          const m = Math.max(...v),
            e = v.map((t) => Math.exp(t - m)),
            s = e.reduce((a, b) => a + b, 0);
          return e.map((t) => t / s);
        };
        const p = sm(row);
        want -= Math.log((dbl ? sm(p) : p)[labels[i]]);
        expect(res.PR[i]).toBe(row.indexOf(Math.max(...row)));
      }
      expect(res.loss).toBeCloseTo(want, 5);
      const h = 1e-3;
      for (let q = 0; q < n * c; q++) {
        const zp = z.slice(),
          zm = z.slice();
        zp[q] += h;
        zm[q] -= h;
        const fd = (run(zp).loss - run(zm).loss) / (2 * h) / n;
        expect(Math.abs(fd - res.DZ[q]), `dz ${q} (double ${dbl})`).toBeLessThan(2e-4);
      }
    }
  });
});
