// Neural-network kernels (family `nn`, docs/models/deep-nets.md): convolution as
// im2col + GEMM (the GEMM with its packing: assembly/gemm.ts), max-pool 2x2,
// ReLU, batch norm (1-d and 2-d, train and eval), softmax with cross-entropy,
// SGD with momentum and weight decay, and element-wise passes. The readable
// reference of every kernel: src/backend/js/nnKernels.ts. The convolutions pass
// on the GEMM workspace `ws` (gemmWorkspaceBytes() bytes).
import { gemm } from "./gemm";

// ---- convolution (stride 1, no padding, no bias), NCHW ----

// @ts-ignore: decorator
@inline function copyRow(dst: usize, src: usize, n: i32): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) v128.store(dst + (<usize>j << 2), v128.load(src + (<usize>j << 2)));
  for (; j < n; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>j << 2)));
}

// @ts-ignore: decorator
@inline function addRow(dst: usize, src: usize, n: i32): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

// Walks the rows of one image's patch matrix: row (c, ki, kj), output row y pairs
// cols[(c, ki, kj), y, :] with x[c, y + ki, kj : kj + ow]. `adjoint`: x += cols, else cols = x.
// @ts-ignore: decorator
@inline function patchRows(x: usize, cols: usize, c: i32, h: i32, w: i32, ks: i32, adjoint: bool): void {
  const oh = h - ks + 1, ow = w - ks + 1, ohw = oh * ow;
  let r = 0;
  for (let ci = 0; ci < c; ci++)
    for (let ki = 0; ki < ks; ki++)
      for (let kj = 0; kj < ks; kj++, r++) {
        const cr = cols + <usize>r * ohw * 4;
        const xr = x + (<usize>(ci * h + ki) * w + <usize>kj) * 4;
        for (let y = 0; y < oh; y++) {
          if (adjoint) addRow(xr + <usize>(y * w) * 4, cr + <usize>(y * ow) * 4, ow);
          else copyRow(cr + <usize>(y * ow) * 4, xr + <usize>(y * w) * 4, ow);
        }
      }
}

/** cols[(c, ki, kj), (oh, ow)] = x[c, oh + ki, ow + kj] for one image (C x H x W). */
export function im2col(x: usize, cols: usize, c: i32, h: i32, w: i32, ks: i32): void {
  patchRows(x, cols, c, h, w, ks, false);
}

/** x[c, oh + ki, ow + kj] += cols[(c, ki, kj), (oh, ow)]: the adjoint of im2col, for one image. */
export function col2im(cols: usize, x: usize, c: i32, h: i32, w: i32, ks: i32): void {
  patchRows(x, cols, c, h, w, ks, true);
}

/** y[n, co, oh, ow] = sum_{ci, ki, kj} W[co, ci, ki, kj] x[n, ci, oh + ki, ow + kj]: per image im2col then GEMM. */
export function conv2dForward(x: usize, wt: usize, y: usize, cols: usize, n: i32, cin: i32, h: i32, w: i32, cout: i32, ks: i32,
                              ws: usize): void {
  const oh = h - ks + 1, ow = w - ks + 1, ohw = oh * ow, ck = cin * ks * ks;
  for (let i = 0; i < n; i++) {
    im2col(x + <usize>i * cin * h * w * 4, cols, cin, h, w, ks);
    gemm(false, false, cout, ohw, ck, wt, ck, cols, ohw, y + <usize>i * cout * ohw * 4, ohw, 0, ws);
  }
}

/**
 * Conv backward. gW[co, (ci,ki,kj)] = sum_n dy_n cols_n^T (always); if dx != 0,
 * dx_n = col2im(Wfb^T dy_n), with Wfb = W (backprop) or a fixed kernel B (FA).
 */
export function conv2dBackward(x: usize, dy: usize, wfb: usize, gw: usize, dx: usize, cols: usize, dcols: usize, n: i32, cin: i32, h: i32,
                               w: i32, cout: i32, ks: i32, ws: usize): void {
  const oh = h - ks + 1, ow = w - ks + 1, ohw = oh * ow, ck = cin * ks * ks, chw = cin * h * w;
  if (dx != 0) memory.fill(dx, 0, <usize>n * chw * 4);
  for (let i = 0; i < n; i++) {
    const dyi = dy + <usize>i * cout * ohw * 4;
    im2col(x + <usize>i * chw * 4, cols, cin, h, w, ks);
    gemm(false, true, cout, ck, ohw, dyi, ohw, cols, ohw, gw, ck, i == 0 ? 0 : 1, ws);
    if (dx != 0) {
      gemm(true, false, ck, ohw, cout, wfb, ck, dyi, ohw, dcols, ohw, 0, ws);
      col2im(dcols, dx + <usize>i * chw * 4, cin, h, w, ks);
    }
  }
}

// ---- pooling, activations, element-wise ----

/**
 * Max-pool 2x2, stride 2 over planes of h x w (h, w even): y = max of each window,
 * idx = its position 0..3 (row-major; the first maximum wins, as PyTorch). Four
 * windows per pass: even and odd lanes of eight inputs are the windows' columns.
 */
export function maxPool2Forward(x: usize, y: usize, idx: usize, planes: i32, h: i32, w: i32): void {
  const ph = h >> 1, pw = w >> 1;
  const one = i32x4.splat(1), two = i32x4.splat(2), three = i32x4.splat(3);
  let o: usize = 0;
  for (let q = 0; q < planes; q++) {
    const base = x + <usize>q * h * w * 4;
    for (let i = 0; i < ph; i++) {
      const r0 = base + <usize>(2 * i * w) * 4, r1 = r0 + (<usize>w << 2);
      let j = 0;
      for (; j + 4 <= pw; j += 4, o += 4) {
        const c = <usize>j << 3;
        const a0 = v128.load(r0 + c), b0 = v128.load(r0 + c, 16), a1 = v128.load(r1 + c), b1 = v128.load(r1 + c, 16);
        let m = v128.shuffle<i32>(a0, b0, 0, 2, 4, 6);
        let k = i32x4.splat(0);
        const v1 = v128.shuffle<i32>(a0, b0, 1, 3, 5, 7), v2 = v128.shuffle<i32>(a1, b1, 0, 2, 4, 6);
        const v3 = v128.shuffle<i32>(a1, b1, 1, 3, 5, 7);
        let g = f32x4.gt(v1, m);
        m = v128.bitselect(v1, m, g);
        k = v128.bitselect(one, k, g);
        g = f32x4.gt(v2, m);
        m = v128.bitselect(v2, m, g);
        k = v128.bitselect(two, k, g);
        g = f32x4.gt(v3, m);
        m = v128.bitselect(v3, m, g);
        k = v128.bitselect(three, k, g);
        v128.store(y + (o << 2), m);
        v128.store(idx + (o << 2), k);
      }
      for (; j < pw; j++, o++) {
        const c = <usize>j << 3;
        let m = load<f32>(r0 + c), k = 0;
        const v1 = load<f32>(r0 + c, 4), v2 = load<f32>(r1 + c), v3 = load<f32>(r1 + c, 4);
        if (v1 > m) { m = v1; k = 1; }
        if (v2 > m) { m = v2; k = 2; }
        if (v3 > m) { m = v3; k = 3; }
        store<f32>(y + (o << 2), m);
        store<i32>(idx + (o << 2), k);
      }
    }
  }
}

/** dx = 0 except at each window's maximum, which gets dy; four windows (eight columns) per pass. */
export function maxPool2Backward(dy: usize, idx: usize, dx: usize, planes: i32, h: i32, w: i32): void {
  const ph = h >> 1, pw = w >> 1;
  const z = i32x4.splat(0), one = i32x4.splat(1), two = i32x4.splat(2), three = i32x4.splat(3);
  let o: usize = 0;
  for (let q = 0; q < planes; q++) {
    const base = dx + <usize>q * h * w * 4;
    for (let i = 0; i < ph; i++) {
      const r0 = base + <usize>(2 * i * w) * 4, r1 = r0 + (<usize>w << 2);
      let j = 0;
      for (; j + 4 <= pw; j += 4, o += 4) {
        const c = <usize>j << 3;
        const g = v128.load(dy + (o << 2)), k = v128.load(idx + (o << 2));
        const s0 = v128.and(g, i32x4.eq(k, z)), s1 = v128.and(g, i32x4.eq(k, one));
        const s2 = v128.and(g, i32x4.eq(k, two)), s3 = v128.and(g, i32x4.eq(k, three));
        v128.store(r0 + c, v128.shuffle<i32>(s0, s1, 0, 4, 1, 5));
        v128.store(r0 + c, v128.shuffle<i32>(s0, s1, 2, 6, 3, 7), 16);
        v128.store(r1 + c, v128.shuffle<i32>(s2, s3, 0, 4, 1, 5));
        v128.store(r1 + c, v128.shuffle<i32>(s2, s3, 2, 6, 3, 7), 16);
      }
      for (; j < pw; j++, o++) {
        const c = <usize>j << 3;
        const k = load<i32>(idx + (o << 2)), g = load<f32>(dy + (o << 2));
        store<f32>(r0 + c, k == 0 ? g : 0);
        store<f32>(r0 + c, k == 1 ? g : 0, 4);
        store<f32>(r1 + c, k == 2 ? g : 0);
        store<f32>(r1 + c, k == 3 ? g : 0, 4);
      }
    }
  }
}

/** x = max(x, 0) in place. */
export function reluForward(x: usize, len: i32): void {
  const z = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = x + (<usize>i << 2);
    v128.store(o, f32x4.max(v128.load(o), z));
  }
  for (; i < len; i++) {
    const o = x + (<usize>i << 2);
    const v = load<f32>(o);
    store<f32>(o, v > 0 ? v : 0);
  }
}

/** g = g where y > 0, else 0 (y: the ReLU output). */
export function reluBackward(y: usize, g: usize, len: i32): void {
  const z = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = <usize>i << 2;
    v128.store(g + o, v128.and(v128.load(g + o), f32x4.gt(v128.load(y + o), z)));
  }
  for (; i < len; i++) {
    const o = <usize>i << 2;
    if (!(load<f32>(y + o) > 0)) store<f32>(g + o, 0);
  }
}

/** y[r, :] += b for rows x cols. */
export function addBias(y: usize, b: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) addRow(y + <usize>r * cols * 4, b, cols);
}

/** out[j] = sum_r g[r, j] (bias gradient). */
export function colSum(g: usize, out: usize, rows: i32, cols: i32): void {
  memory.fill(out, 0, <usize>cols << 2);
  for (let r = 0; r < rows; r++) addRow(out, g + <usize>r * cols * 4, cols);
}

/** out = B * sign(W) elementwise, sign(0) = 0 (sign-concordant feedback, Liao et al. 2016). */
export function signMul(b: usize, wt: usize, out: usize, len: i32): void {
  const z = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = <usize>i << 2;
    const bv = v128.load(b + o), wv = v128.load(wt + o);
    const pos = v128.and(bv, f32x4.gt(wv, z)), neg = v128.and(f32x4.neg(bv), f32x4.lt(wv, z));
    v128.store(out + o, v128.or(pos, neg));
  }
  for (; i < len; i++) {
    const o = <usize>i << 2;
    const wv = load<f32>(wt + o), bv = load<f32>(b + o);
    store<f32>(out + o, wv > 0 ? bv : wv < 0 ? -bv : 0);
  }
}

/**
 * SGD with momentum and L2 weight decay, as torch.optim.SGD (dampening 0):
 * g' = g + wd p; buf = m buf + g'; p -= lr buf.
 */
export function sgdStep(p: usize, g: usize, buf: usize, len: i32, lr: f32, mom: f32, wd: f32): void {
  const lv = f32x4.splat(lr), mv = f32x4.splat(mom), wv = f32x4.splat(wd);
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const o = <usize>i << 2;
    const pv = v128.load(p + o);
    const gv = f32x4.add(v128.load(g + o), f32x4.mul(wv, pv));
    const bv = f32x4.add(f32x4.mul(mv, v128.load(buf + o)), gv);
    v128.store(buf + o, bv);
    v128.store(p + o, f32x4.sub(pv, f32x4.mul(lv, bv)));
  }
  for (; i < len; i++) {
    const o = <usize>i << 2;
    const pv = load<f32>(p + o);
    const bv = mom * load<f32>(buf + o) + (load<f32>(g + o) + wd * pv);
    store<f32>(buf + o, bv);
    store<f32>(p + o, pv - lr * bv);
  }
}

// ---- batch norm over x[n, c, s] (s = 1: BatchNorm1d on [n, c]; s = h*w: BatchNorm2d) ----

/**
 * Batch norm forward (Ioffe & Szegedy 2015, as torch.nn.BatchNorm): train mode
 * normalises by the batch mean and biased variance over (n, s), stores xhat,
 * mean and invstd = 1/sqrt(var + eps) per channel, and updates the running
 * stats (rm = (1-mom) rm + mom mean, rv with the unbiased variance); eval mode
 * uses rm, rv. y = gamma xhat + beta.
 */
export function bnForward(x: usize, y: usize, xhat: usize, gamma: usize, beta: usize, mean: usize, invstd: usize, rm: usize, rv: usize,
                          n: i32, c: i32, s: i32, train: bool, mom: f32, eps: f32): void {
  const cnt = <f64>n * <f64>s;
  if (train) {
    if (s == 1) bnStats1d(x, mean, invstd, n, c);
    else bnStats2d(x, mean, invstd, n, c, s);
    for (let j = 0; j < c; j++) {
      const o = <usize>j << 2;
      const mu = load<f32>(mean + o), v = load<f32>(invstd + o); // invstd holds the biased variance here
      store<f32>(rm + o, (1 - mom) * load<f32>(rm + o) + mom * mu);
      store<f32>(rv + o, (1 - mom) * load<f32>(rv + o) + mom * <f32>(<f64>v * cnt / max(cnt - 1, 1)));
      store<f32>(invstd + o, <f32>(1 / Math.sqrt(<f64>v + <f64>eps)));
    }
  } else {
    for (let j = 0; j < c; j++) {
      const o = <usize>j << 2;
      store<f32>(mean + o, load<f32>(rm + o));
      store<f32>(invstd + o, <f32>(1 / Math.sqrt(<f64>load<f32>(rv + o) + <f64>eps)));
    }
  }
  bnApply(x, y, xhat, gamma, beta, mean, invstd, n, c, s, train);
}

// per-channel mean and biased variance (two passes, f64 per-row totals), s > 1
function bnStats2d(x: usize, mean: usize, vout: usize, n: i32, c: i32, s: i32): void {
  const cnt = <f64>n * <f64>s;
  for (let j = 0; j < c; j++) {
    let tot: f64 = 0;
    for (let i = 0; i < n; i++) tot += rowSum(x + (<usize>(i * c + j) * s) * 4, s);
    const mu = <f32>(tot / cnt);
    const mv = f32x4.splat(mu);
    let sq: f64 = 0;
    for (let i = 0; i < n; i++) {
      const row = x + (<usize>(i * c + j) * s) * 4;
      let a = f32x4.splat(0);
      let k = 0;
      for (; k + 4 <= s; k += 4) {
        const d = f32x4.sub(v128.load(row + (<usize>k << 2)), mv);
        a = f32x4.add(a, f32x4.mul(d, d));
      }
      let t = f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1) + (f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3));
      for (; k < s; k++) {
        const d = load<f32>(row + (<usize>k << 2)) - mu;
        t += d * d;
      }
      sq += <f64>t;
    }
    store<f32>(mean + (<usize>j << 2), mu);
    store<f32>(vout + (<usize>j << 2), <f32>(sq / cnt));
  }
}

// @ts-ignore: decorator
@inline function rowSum(row: usize, s: i32): f64 {
  let a = f32x4.splat(0);
  let k = 0;
  for (; k + 4 <= s; k += 4) a = f32x4.add(a, v128.load(row + (<usize>k << 2)));
  let t = f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1) + (f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3));
  for (; k < s; k++) t += load<f32>(row + (<usize>k << 2));
  return <f64>t;
}

// s == 1: channels are contiguous in each row; sums run four channels per v128 (f32 over n rows)
function bnStats1d(x: usize, mean: usize, vout: usize, n: i32, c: i32): void {
  const inv = <f32>(1 / <f64>n);
  memory.fill(mean, 0, <usize>c << 2);
  memory.fill(vout, 0, <usize>c << 2);
  for (let i = 0; i < n; i++) addRow(mean, x + <usize>i * c * 4, c);
  scaleRow(mean, inv, c);
  for (let i = 0; i < n; i++) {
    const row = x + <usize>i * c * 4;
    let j = 0;
    for (; j + 4 <= c; j += 4) {
      const o = <usize>j << 2;
      const d = f32x4.sub(v128.load(row + o), v128.load(mean + o));
      v128.store(vout + o, f32x4.add(v128.load(vout + o), f32x4.mul(d, d)));
    }
    for (; j < c; j++) {
      const o = <usize>j << 2;
      const d = load<f32>(row + o) - load<f32>(mean + o);
      store<f32>(vout + o, load<f32>(vout + o) + d * d);
    }
  }
  scaleRow(vout, inv, c);
}

// @ts-ignore: decorator
@inline function scaleRow(r: usize, a: f32, n: i32): void {
  const av = f32x4.splat(a);
  let j = 0;
  for (; j + 4 <= n; j += 4) v128.store(r + (<usize>j << 2), f32x4.mul(v128.load(r + (<usize>j << 2)), av));
  for (; j < n; j++) store<f32>(r + (<usize>j << 2), load<f32>(r + (<usize>j << 2)) * a);
}

// y = gamma (x - mean) invstd + beta; xhat stored when `keep`
function bnApply(x: usize, y: usize, xhat: usize, gamma: usize, beta: usize, mean: usize, invstd: usize, n: i32, c: i32, s: i32,
                 keep: bool): void {
  if (s == 1) {
    for (let i = 0; i < n; i++) {
      const o = <usize>i * c * 4;
      let j = 0;
      for (; j + 4 <= c; j += 4) {
        const q = <usize>j << 2;
        const xh = f32x4.mul(f32x4.sub(v128.load(x + o + q), v128.load(mean + q)), v128.load(invstd + q));
        if (keep) v128.store(xhat + o + q, xh);
        v128.store(y + o + q, f32x4.add(f32x4.mul(v128.load(gamma + q), xh), v128.load(beta + q)));
      }
      for (; j < c; j++) {
        const q = <usize>j << 2;
        const xh = (load<f32>(x + o + q) - load<f32>(mean + q)) * load<f32>(invstd + q);
        if (keep) store<f32>(xhat + o + q, xh);
        store<f32>(y + o + q, load<f32>(gamma + q) * xh + load<f32>(beta + q));
      }
    }
    return;
  }
  for (let i = 0; i < n; i++)
    for (let j = 0; j < c; j++) {
      const q = <usize>j << 2;
      const mu = load<f32>(mean + q), is = load<f32>(invstd + q), g = load<f32>(gamma + q), bt = load<f32>(beta + q);
      const muv = f32x4.splat(mu), isv = f32x4.splat(is), gv = f32x4.splat(g), bv = f32x4.splat(bt);
      const o = (<usize>(i * c + j) * s) * 4;
      let k = 0;
      for (; k + 4 <= s; k += 4) {
        const e = o + (<usize>k << 2);
        const xh = f32x4.mul(f32x4.sub(v128.load(x + e), muv), isv);
        if (keep) v128.store(xhat + e, xh);
        v128.store(y + e, f32x4.add(f32x4.mul(gv, xh), bv));
      }
      for (; k < s; k++) {
        const e = o + (<usize>k << 2);
        const xh = (load<f32>(x + e) - mu) * is;
        if (keep) store<f32>(xhat + e, xh);
        store<f32>(y + e, g * xh + bt);
      }
    }
}

/**
 * Batch norm backward (train mode): dbeta = sum dy, dgamma = sum dy xhat,
 * dx = gamma invstd / M (M dy - dbeta - xhat dgamma), M = n s.
 */
export function bnBackward(dy: usize, xhat: usize, gamma: usize, invstd: usize, dx: usize, dgamma: usize, dbeta: usize,
                           n: i32, c: i32, s: i32): void {
  const M = <f32>(n * s);
  if (s == 1) {
    memory.fill(dgamma, 0, <usize>c << 2);
    memory.fill(dbeta, 0, <usize>c << 2);
    for (let i = 0; i < n; i++) {
      const o = <usize>i * c * 4;
      addRow(dbeta, dy + o, c);
      let j = 0;
      for (; j + 4 <= c; j += 4) {
        const q = <usize>j << 2;
        v128.store(dgamma + q, f32x4.add(v128.load(dgamma + q), f32x4.mul(v128.load(dy + o + q), v128.load(xhat + o + q))));
      }
      for (; j < c; j++) {
        const q = <usize>j << 2;
        store<f32>(dgamma + q, load<f32>(dgamma + q) + load<f32>(dy + o + q) * load<f32>(xhat + o + q));
      }
    }
    const Mv = f32x4.splat(M), invM = <f32>1 / M, iMv = f32x4.splat(invM);
    for (let i = 0; i < n; i++) {
      const o = <usize>i * c * 4;
      let j = 0;
      for (; j + 4 <= c; j += 4) {
        const q = <usize>j << 2;
        const sc = f32x4.mul(f32x4.mul(v128.load(gamma + q), v128.load(invstd + q)), iMv);
        const t = f32x4.sub(f32x4.sub(f32x4.mul(Mv, v128.load(dy + o + q)), v128.load(dbeta + q)),
                            f32x4.mul(v128.load(xhat + o + q), v128.load(dgamma + q)));
        v128.store(dx + o + q, f32x4.mul(sc, t));
      }
      for (; j < c; j++) {
        const q = <usize>j << 2;
        const sc = load<f32>(gamma + q) * load<f32>(invstd + q) * invM;
        store<f32>(dx + o + q, sc * (M * load<f32>(dy + o + q) - load<f32>(dbeta + q) - load<f32>(xhat + o + q) * load<f32>(dgamma + q)));
      }
    }
    return;
  }
  for (let j = 0; j < c; j++) {
    let sb: f64 = 0, sg: f64 = 0;
    for (let i = 0; i < n; i++) {
      const o = (<usize>(i * c + j) * s) * 4;
      let ab = f32x4.splat(0), ag = f32x4.splat(0);
      let k = 0;
      for (; k + 4 <= s; k += 4) {
        const e = o + (<usize>k << 2);
        const d = v128.load(dy + e);
        ab = f32x4.add(ab, d);
        ag = f32x4.add(ag, f32x4.mul(d, v128.load(xhat + e)));
      }
      let tb = f32x4.extract_lane(ab, 0) + f32x4.extract_lane(ab, 1) + (f32x4.extract_lane(ab, 2) + f32x4.extract_lane(ab, 3));
      let tg = f32x4.extract_lane(ag, 0) + f32x4.extract_lane(ag, 1) + (f32x4.extract_lane(ag, 2) + f32x4.extract_lane(ag, 3));
      for (; k < s; k++) {
        const e = o + (<usize>k << 2);
        const d = load<f32>(dy + e);
        tb += d;
        tg += d * load<f32>(xhat + e);
      }
      sb += <f64>tb;
      sg += <f64>tg;
    }
    const q = <usize>j << 2;
    const db = <f32>sb, dg = <f32>sg;
    store<f32>(dbeta + q, db);
    store<f32>(dgamma + q, dg);
    const sc = load<f32>(gamma + q) * load<f32>(invstd + q) / M;
    const scv = f32x4.splat(sc), Mv = f32x4.splat(M), dbv = f32x4.splat(db), dgv = f32x4.splat(dg);
    for (let i = 0; i < n; i++) {
      const o = (<usize>(i * c + j) * s) * 4;
      let k = 0;
      for (; k + 4 <= s; k += 4) {
        const e = o + (<usize>k << 2);
        const t = f32x4.sub(f32x4.sub(f32x4.mul(Mv, v128.load(dy + e)), dbv), f32x4.mul(v128.load(xhat + e), dgv));
        v128.store(dx + e, f32x4.mul(scv, t));
      }
      for (; k < s; k++) {
        const e = o + (<usize>k << 2);
        store<f32>(dx + e, sc * (M * load<f32>(dy + e) - db - load<f32>(xhat + e) * dg));
      }
    }
  }
}

// ---- softmax and cross-entropy ----

// @ts-ignore: decorator
@inline function softmaxRow(z: usize, p: usize, c: i32): f64 {
  let mx = load<f32>(z);
  for (let j = 1; j < c; j++) mx = max(mx, load<f32>(z + (<usize>j << 2)));
  let s: f64 = 0;
  for (let j = 0; j < c; j++) {
    const e = Math.exp(<f64>(load<f32>(z + (<usize>j << 2)) - mx));
    store<f32>(p + (<usize>j << 2), <f32>e);
    s += e;
  }
  const inv = 1 / s;
  for (let j = 0; j < c; j++) store<f32>(p + (<usize>j << 2), <f32>(<f64>load<f32>(p + (<usize>j << 2)) * inv));
  return <f64>mx + Math.log(s); // log-sum-exp
}

/**
 * Mean cross-entropy of softmax(z) against labels, or with `double` of
 * softmax(softmax(z)) (the authors' CrossEntropyLoss on the softmax output,
 * docs/models/deep-nets.md#architecture). Writes p = softmax(z),
 * dz = d(mean loss)/dz, pred = argmax z (first maximum); returns the summed
 * loss. `q`: n x c scratch.
 */
export function softmaxXent(z: usize, labels: usize, p: usize, q: usize, dz: usize, pred: usize, n: i32, c: i32, double: bool): f64 {
  let loss: f64 = 0;
  const invN = <f32>(1 / <f64>n);
  for (let i = 0; i < n; i++) {
    const o = <usize>i * c * 4;
    const zi = z + o, pi = p + o, qi = q + o, di = dz + o;
    const lse = softmaxRow(zi, pi, c);
    let am = 0;
    for (let j = 1; j < c; j++) if (load<f32>(zi + (<usize>j << 2)) > load<f32>(zi + (<usize>am << 2))) am = j;
    store<i32>(pred + (<usize>i << 2), am);
    const y = load<i32>(labels + (<usize>i << 2));
    if (double) {
      loss += softmaxRow(pi, qi, c) - <f64>load<f32>(pi + (<usize>y << 2));
      // dL/dp = q - onehot; dL/dz = p (g - <g, p>)
      let dot: f64 = 0;
      for (let j = 0; j < c; j++) {
        const g = load<f32>(qi + (<usize>j << 2)) - (j == y ? <f32>1 : <f32>0);
        store<f32>(di + (<usize>j << 2), g);
        dot += <f64>g * <f64>load<f32>(pi + (<usize>j << 2));
      }
      for (let j = 0; j < c; j++) {
        const jo = <usize>j << 2;
        store<f32>(di + jo, <f32>(<f64>load<f32>(pi + jo) * (<f64>load<f32>(di + jo) - dot)) * invN);
      }
    } else {
      loss += lse - <f64>load<f32>(zi + (<usize>y << 2));
      for (let j = 0; j < c; j++) {
        const jo = <usize>j << 2;
        store<f32>(di + jo, (load<f32>(pi + jo) - (j == y ? <f32>1 : <f32>0)) * invN);
      }
    }
  }
  return loss;
}
