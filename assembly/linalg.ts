// Dense f32 linear algebra over row-major matrices, f32x4 SIMD main loops
// with scalar tails. Several independent accumulators per loop hide the
// latency of f32x4.add (baseline wasm SIMD has no fused multiply-add).
// The readable reference: src/backend/js/linalgKernels.ts.

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** y = A x: four rows at a time share each load of x. */
export function matvec(A: usize, x: usize, y: usize, rows: i32, cols: i32): void {
  const rb = <usize>cols << 2;
  const c4 = cols & ~3;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const r0 = A + <usize>i * rb, r1 = r0 + rb, r2 = r1 + rb, r3 = r2 + rb;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (let j = 0; j < c4; j += 4) {
      const o = <usize>j << 2;
      const xv = v128.load(x + o);
      a0 = f32x4.add(a0, f32x4.mul(v128.load(r0 + o), xv));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(r1 + o), xv));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(r2 + o), xv));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(r3 + o), xv));
    }
    let s0 = hsum(a0), s1 = hsum(a1), s2 = hsum(a2), s3 = hsum(a3);
    for (let j = c4; j < cols; j++) {
      const o = <usize>j << 2;
      const xj = load<f32>(x + o);
      s0 += load<f32>(r0 + o) * xj;
      s1 += load<f32>(r1 + o) * xj;
      s2 += load<f32>(r2 + o) * xj;
      s3 += load<f32>(r3 + o) * xj;
    }
    const yo = y + (<usize>i << 2);
    store<f32>(yo, s0);
    store<f32>(yo, s1, 4);
    store<f32>(yo, s2, 8);
    store<f32>(yo, s3, 12);
  }
  for (; i < rows; i++) {
    const r = A + <usize>i * rb;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
    let j = 0;
    for (; j + 8 <= cols; j += 8) {
      const o = <usize>j << 2;
      a0 = f32x4.add(a0, f32x4.mul(v128.load(r + o), v128.load(x + o)));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(r + o, 16), v128.load(x + o, 16)));
    }
    for (; j < c4; j += 4) {
      const o = <usize>j << 2;
      a0 = f32x4.add(a0, f32x4.mul(v128.load(r + o), v128.load(x + o)));
    }
    let s = hsum(f32x4.add(a0, a1));
    for (; j < cols; j++) s += load<f32>(r + (<usize>j << 2)) * load<f32>(x + (<usize>j << 2));
    store<f32>(y + (<usize>i << 2), s);
  }
}

/** y += alpha x over n entries. */
export function axpy(alpha: f32, x: usize, y: usize, n: i32): void {
  const av = f32x4.splat(alpha);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(av, v128.load(x + o))));
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(y + o, load<f32>(y + o) + alpha * load<f32>(x + o));
  }
}

/**
 * y = A^T x as a sum of scaled rows of A, four rows per pass so each load and
 * store of y serves four multiply-adds.
 */
export function matvecT(A: usize, x: usize, y: usize, rows: i32, cols: i32): void {
  memory.fill(y, 0, <usize>cols << 2);
  const rb = <usize>cols << 2;
  const c4 = cols & ~3;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const r0 = A + <usize>i * rb, r1 = r0 + rb, r2 = r1 + rb, r3 = r2 + rb;
    const xo = x + (<usize>i << 2);
    const s0 = load<f32>(xo), s1 = load<f32>(xo, 4), s2 = load<f32>(xo, 8), s3 = load<f32>(xo, 12);
    const v0 = f32x4.splat(s0), v1 = f32x4.splat(s1), v2 = f32x4.splat(s2), v3 = f32x4.splat(s3);
    for (let j = 0; j < c4; j += 4) {
      const o = <usize>j << 2;
      const p01 = f32x4.add(f32x4.mul(v0, v128.load(r0 + o)), f32x4.mul(v1, v128.load(r1 + o)));
      const p23 = f32x4.add(f32x4.mul(v2, v128.load(r2 + o)), f32x4.mul(v3, v128.load(r3 + o)));
      v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.add(p01, p23)));
    }
    for (let j = c4; j < cols; j++) {
      const o = <usize>j << 2;
      const p01 = s0 * load<f32>(r0 + o) + s1 * load<f32>(r1 + o);
      const p23 = s2 * load<f32>(r2 + o) + s3 * load<f32>(r3 + o);
      store<f32>(y + o, load<f32>(y + o) + (p01 + p23));
    }
  }
  for (; i < rows; i++) axpy(load<f32>(x + (<usize>i << 2)), A + <usize>i * rb, y, cols);
}

/** A += alpha x y^T: row i gets alpha x_i y. */
export function outerAdd(A: usize, x: usize, y: usize, alpha: f32, rows: i32, cols: i32): void {
  const rb = <usize>cols << 2;
  for (let i = 0; i < rows; i++) axpy(alpha * load<f32>(x + (<usize>i << 2)), y, A + <usize>i * rb, cols);
}

/**
 * C = A B (A m x k, B k x n). Register-blocked: a 4 x 8 tile of C stays in
 * eight v128 accumulators while p runs over k; edges fall back to narrower
 * tiles and scalars.
 */
export function matmul(A: usize, B: usize, C: usize, m: i32, k: i32, n: i32): void {
  const ak = <usize>k << 2, bn = <usize>n << 2;
  const n8 = n & ~7, n4 = n & ~3;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = A + <usize>i * ak, a1 = a0 + ak, a2 = a1 + ak, a3 = a2 + ak;
    const c0 = C + <usize>i * bn, c1 = c0 + bn, c2 = c1 + bn, c3 = c2 + bn;
    let j = 0;
    for (; j < n8; j += 8) {
      const jo = <usize>j << 2;
      let x00 = f32x4.splat(0), x01 = f32x4.splat(0), x10 = f32x4.splat(0), x11 = f32x4.splat(0);
      let x20 = f32x4.splat(0), x21 = f32x4.splat(0), x30 = f32x4.splat(0), x31 = f32x4.splat(0);
      for (let p = 0; p < k; p++) {
        const po = <usize>p << 2;
        const bp = B + <usize>p * bn + jo;
        const b0 = v128.load(bp), b1 = v128.load(bp, 16);
        const v0 = f32x4.splat(load<f32>(a0 + po)), v1 = f32x4.splat(load<f32>(a1 + po));
        const v2 = f32x4.splat(load<f32>(a2 + po)), v3 = f32x4.splat(load<f32>(a3 + po));
        x00 = f32x4.add(x00, f32x4.mul(v0, b0)); x01 = f32x4.add(x01, f32x4.mul(v0, b1));
        x10 = f32x4.add(x10, f32x4.mul(v1, b0)); x11 = f32x4.add(x11, f32x4.mul(v1, b1));
        x20 = f32x4.add(x20, f32x4.mul(v2, b0)); x21 = f32x4.add(x21, f32x4.mul(v2, b1));
        x30 = f32x4.add(x30, f32x4.mul(v3, b0)); x31 = f32x4.add(x31, f32x4.mul(v3, b1));
      }
      v128.store(c0 + jo, x00); v128.store(c0 + jo, x01, 16);
      v128.store(c1 + jo, x10); v128.store(c1 + jo, x11, 16);
      v128.store(c2 + jo, x20); v128.store(c2 + jo, x21, 16);
      v128.store(c3 + jo, x30); v128.store(c3 + jo, x31, 16);
    }
    for (; j < n4; j += 4) {
      const jo = <usize>j << 2;
      let x0 = f32x4.splat(0), x1 = f32x4.splat(0), x2 = f32x4.splat(0), x3 = f32x4.splat(0);
      for (let p = 0; p < k; p++) {
        const po = <usize>p << 2;
        const b0 = v128.load(B + <usize>p * bn + jo);
        x0 = f32x4.add(x0, f32x4.mul(f32x4.splat(load<f32>(a0 + po)), b0));
        x1 = f32x4.add(x1, f32x4.mul(f32x4.splat(load<f32>(a1 + po)), b0));
        x2 = f32x4.add(x2, f32x4.mul(f32x4.splat(load<f32>(a2 + po)), b0));
        x3 = f32x4.add(x3, f32x4.mul(f32x4.splat(load<f32>(a3 + po)), b0));
      }
      v128.store(c0 + jo, x0); v128.store(c1 + jo, x1); v128.store(c2 + jo, x2); v128.store(c3 + jo, x3);
    }
    for (; j < n; j++) {
      const jo = <usize>j << 2;
      let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
      for (let p = 0; p < k; p++) {
        const po = <usize>p << 2;
        const b = load<f32>(B + <usize>p * bn + jo);
        s0 += load<f32>(a0 + po) * b; s1 += load<f32>(a1 + po) * b;
        s2 += load<f32>(a2 + po) * b; s3 += load<f32>(a3 + po) * b;
      }
      store<f32>(c0 + jo, s0); store<f32>(c1 + jo, s1); store<f32>(c2 + jo, s2); store<f32>(c3 + jo, s3);
    }
  }
  for (; i < m; i++) {
    const ci = C + <usize>i * bn;
    memory.fill(ci, 0, bn);
    for (let p = 0; p < k; p++) axpy(load<f32>(A + <usize>i * ak + (<usize>p << 2)), B + <usize>p * bn, ci, n);
  }
}
