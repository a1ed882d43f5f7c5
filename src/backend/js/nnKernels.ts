// Reference neural-network kernels on Float32Arrays (the readable twin of
// assembly/nn.ts, and of assembly/gemm.ts for `gemm`; same results to float
// tolerance: sums here run in f64).
// Conventions: row-major, NCHW images, whole batches per call.
import type { NnKernels } from "../nn.js";

/**
 * C = op(A) op(B) (+ C): plain loops, inner loop over contiguous memory in each transposition case (the
 * twin of assembly/gemm.ts, which packs op(A) and op(B) into panels and sums in f32).
 */
function gemm(
  tA: boolean,
  tB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  acc: boolean,
  ao = 0,
  bo = 0,
  co = 0,
): void {
  // op(A)[i, p] = tA ? a[p*m + i] : a[i*k + p];  op(B)[p, j] = tB ? b[j*k + p] : b[p*n + j]
  if (!acc) c.fill(0, co, co + m * n);
  if (tB) {
    // dot products of rows of op(A) and rows of B
    const arow = new Float64Array(k);
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) arow[p] = tA ? a[ao + p * m + i] : a[ao + i * k + p];
      for (let j = 0; j < n; j++) {
        let s = 0;
        const bj = bo + j * k;
        for (let p = 0; p < k; p++) s += arow[p] * b[bj + p];
        c[co + i * n + j] += s;
      }
    }
    return;
  }
  // C row i += op(A)[i, p] * B row p
  for (let i = 0; i < m; i++) {
    const ci = co + i * n;
    for (let p = 0; p < k; p++) {
      const aip = tA ? a[ao + p * m + i] : a[ao + i * k + p];
      if (aip === 0) continue;
      const bp = bo + p * n;
      for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
    }
  }
}

/**
 * The patch matrix of the image at offset xo: cols[(c, ki, kj), (oh, ow)] pairs with
 * x[c, oh + ki, ow + kj]. im2col copies x into cols; its adjoint (col2im) adds cols into x.
 */
function patches(x: Float32Array, xo: number, cols: Float32Array, c: number, h: number, w: number, ks: number, adjoint: boolean): void {
  const oh = h - ks + 1,
    ow = w - ks + 1;
  let o = 0;
  for (let ci = 0; ci < c; ci++)
    for (let ki = 0; ki < ks; ki++)
      for (let kj = 0; kj < ks; kj++)
        for (let y = 0; y < oh; y++) {
          const xr = xo + (ci * h + y + ki) * w + kj;
          for (let xx = 0; xx < ow; xx++, o++) {
            if (adjoint) x[xr + xx] += cols[o];
            else cols[o] = x[xr + xx];
          }
        }
}

function softmaxRow(z: Float32Array, zo: number, p: Float32Array, po: number, c: number): number {
  let mx = z[zo];
  for (let j = 1; j < c; j++) mx = Math.max(mx, z[zo + j]);
  let s = 0;
  for (let j = 0; j < c; j++) {
    const e = Math.exp(z[zo + j] - mx);
    p[po + j] = e;
    s += e;
  }
  for (let j = 0; j < c; j++) p[po + j] /= s;
  return mx + Math.log(s);
}

export const nnKernels: NnKernels = {
  gemm(tA, tB, m, n, k, A, B, C, acc = false) {
    gemm(tA, tB, m, n, k, A.view, B.view, C.view, acc);
  },

  conv2dForward(x, W, y, cols, n, cin, h, w, cout, ks) {
    const ohw = (h - ks + 1) * (w - ks + 1),
      ck = cin * ks * ks;
    for (let i = 0; i < n; i++) {
      patches(x.view, i * cin * h * w, cols.view, cin, h, w, ks, false);
      gemm(false, false, cout, ohw, ck, W.view, cols.view, y.view, false, 0, 0, i * cout * ohw);
    }
  },

  conv2dBackward(x, dy, Wfb, gW, dx, cols, dcols, n, cin, h, w, cout, ks) {
    const ohw = (h - ks + 1) * (w - ks + 1),
      ck = cin * ks * ks,
      chw = cin * h * w;
    if (dx) dx.view.fill(0, 0, n * chw);
    for (let i = 0; i < n; i++) {
      patches(x.view, i * chw, cols.view, cin, h, w, ks, false);
      // gW += dy_i cols_i^T
      gemm(false, true, cout, ck, ohw, dy.view, cols.view, gW.view, i > 0, i * cout * ohw);
      if (dx) {
        // dcols = Wfb^T dy_i, then scattered back onto the image
        gemm(true, false, ck, ohw, cout, Wfb.view, dy.view, dcols.view, false, 0, i * cout * ohw);
        patches(dx.view, i * chw, dcols.view, cin, h, w, ks, true);
      }
    }
  },

  maxPool2Forward(x, y, idx, planes, h, w) {
    const xv = x.view,
      yv = y.view,
      iv = idx.view;
    let o = 0;
    for (let q = 0; q < planes; q++)
      for (let i = 0; i < h / 2; i++)
        for (let j = 0; j < w / 2; j++, o++) {
          const base = q * h * w + 2 * i * w + 2 * j;
          const cand = [xv[base], xv[base + 1], xv[base + w], xv[base + w + 1]];
          let best = 0;
          for (let t = 1; t < 4; t++) if (cand[t] > cand[best]) best = t;
          yv[o] = cand[best];
          iv[o] = best;
        }
  },

  maxPool2Backward(dy, idx, dx, planes, h, w) {
    const dv = dx.view,
      gv = dy.view,
      iv = idx.view;
    dv.fill(0, 0, planes * h * w);
    let o = 0;
    for (let q = 0; q < planes; q++)
      for (let i = 0; i < h / 2; i++)
        for (let j = 0; j < w / 2; j++, o++) {
          const t = iv[o];
          dv[q * h * w + (2 * i + (t >> 1)) * w + 2 * j + (t & 1)] = gv[o];
        }
  },

  reluForward(x, len) {
    const v = x.view;
    for (let i = 0; i < len; i++) if (!(v[i] > 0)) v[i] = 0;
  },

  reluBackward(y, g, len) {
    const yv = y.view,
      gv = g.view;
    for (let i = 0; i < len; i++) if (!(yv[i] > 0)) gv[i] = 0;
  },

  addBias(y, b, rows, cols) {
    const yv = y.view,
      bv = b.view;
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) yv[r * cols + j] += bv[j];
  },

  colSum(g, out, rows, cols) {
    const gv = g.view,
      ov = out.view;
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += gv[r * cols + j];
      ov[j] = s;
    }
  },

  signMul(B, W, out, len) {
    const bv = B.view,
      wv = W.view,
      ov = out.view;
    for (let i = 0; i < len; i++) ov[i] = wv[i] > 0 ? bv[i] : wv[i] < 0 ? -bv[i] : 0;
  },

  sgdStep(p, g, buf, len, lr, mom, wd) {
    const pv = p.view,
      gv = g.view,
      bv = buf.view;
    for (let i = 0; i < len; i++) {
      bv[i] = mom * bv[i] + (gv[i] + wd * pv[i]);
      pv[i] -= lr * bv[i];
    }
  },

  bnForward(x, y, xhat, gamma, beta, mean, invstd, rm, rv, n, c, s, train, mom, eps) {
    const xv = x.view,
      yv = y.view,
      hv = xhat.view,
      mv = mean.view,
      iv = invstd.view;
    const cnt = n * s;
    for (let j = 0; j < c; j++) {
      if (train) {
        let sum = 0;
        for (let i = 0; i < n; i++) for (let k = 0; k < s; k++) sum += xv[(i * c + j) * s + k];
        const mu = Math.fround(sum / cnt);
        let sq = 0;
        for (let i = 0; i < n; i++)
          for (let k = 0; k < s; k++) {
            const d = xv[(i * c + j) * s + k] - mu;
            sq += d * d;
          }
        const v = sq / cnt;
        mv[j] = mu;
        iv[j] = 1 / Math.sqrt(Math.fround(v) + eps);
        rm.view[j] = (1 - mom) * rm.view[j] + mom * mu;
        rv.view[j] = (1 - mom) * rv.view[j] + (mom * Math.fround(v) * cnt) / Math.max(cnt - 1, 1);
      } else {
        mv[j] = rm.view[j];
        iv[j] = 1 / Math.sqrt(rv.view[j] + eps);
      }
      const mu = mv[j],
        is = iv[j],
        g = gamma.view[j],
        b = beta.view[j];
      for (let i = 0; i < n; i++)
        for (let k = 0; k < s; k++) {
          const e = (i * c + j) * s + k;
          const xh = (xv[e] - mu) * is;
          if (train) hv[e] = xh;
          yv[e] = g * xh + b;
        }
    }
  },

  bnBackward(dy, xhat, gamma, invstd, dx, dgamma, dbeta, n, c, s) {
    const dv = dy.view,
      hv = xhat.view,
      ov = dx.view;
    const M = n * s;
    for (let j = 0; j < c; j++) {
      let sb = 0,
        sg = 0;
      for (let i = 0; i < n; i++)
        for (let k = 0; k < s; k++) {
          const e = (i * c + j) * s + k;
          sb += dv[e];
          sg += dv[e] * hv[e];
        }
      dbeta.view[j] = sb;
      dgamma.view[j] = sg;
      const db = dbeta.view[j],
        dg = dgamma.view[j];
      const sc = (gamma.view[j] * invstd.view[j]) / M;
      for (let i = 0; i < n; i++)
        for (let k = 0; k < s; k++) {
          const e = (i * c + j) * s + k;
          ov[e] = sc * (M * dv[e] - db - hv[e] * dg);
        }
    }
  },

  softmaxXent(z, labels, probs, scratch, dz, pred, n, c, double) {
    const zv = z.view,
      pv = probs.view,
      qv = scratch.view,
      dv = dz.view,
      lv = labels.view,
      yv = pred.view;
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const o = i * c,
        y = lv[i];
      const lse = softmaxRow(zv, o, pv, o, c);
      let am = 0;
      for (let j = 1; j < c; j++) if (zv[o + j] > zv[o + am]) am = j;
      yv[i] = am;
      if (double) {
        // loss = CE(softmax(p)); dL/dp = q - onehot; dL/dz = p (g - <g, p>)
        loss += softmaxRow(pv, o, qv, o, c) - pv[o + y];
        let dot = 0;
        for (let j = 0; j < c; j++) dot += (qv[o + j] - (j === y ? 1 : 0)) * pv[o + j];
        for (let j = 0; j < c; j++) dv[o + j] = (pv[o + j] * (qv[o + j] - (j === y ? 1 : 0) - dot)) / n;
      } else {
        loss += lse - zv[o + y];
        for (let j = 0; j < c; j++) dv[o + j] = (pv[o + j] - (j === y ? 1 : 0)) / n;
      }
    }
    return loss;
  },
};
