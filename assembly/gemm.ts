// GEMM of the `nn` kernel family: C[m, n] = beta C + op(A) op(B) in f32, op(A) = A or A^T,
// op(B) = B or B^T (the forward pass uses A B, the backward passes A B^T and A^T B). Exported
// through assembly/index.ts with the rest of the family; the convolutions of assembly/nn.ts call
// it. Its readable twin is `gemm` in src/backend/js/nnKernels.ts: plain loops over the same
// op(A), op(B); the two agree to float tolerance, not bit for bit (the twin's products and sums
// run in f64, these in f32 in the blocked order below).
//
// Layout (GotoBLAS/BLIS scheme), op(A) m x k and op(B) k x n: op(B) is packed in blocks of
// KC x NC into panels of NR = 8 columns ([p][8], zero-padded), op(A) in blocks of MC x KC into
// panels of MR = 4 rows ([p][4], zero-padded); a 4 x 8 tile of C lives in eight v128
// accumulators while p runs over the block (per p: two loads of B, four broadcast loads of A,
// eight mul + eight add; baseline wasm SIMD has no FMA). The B panel (8 KB) stays in L1 while
// the A panels of a block stream from L2. The caller passes a workspace of
// `gemmWorkspaceBytes()` bytes, the packed A block (MC x KC f32) then the packed B block
// (KC x NC f32); src/backend/wasm/nnKernels.ts allocates it once per backend.

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 512;

// edge tiles are computed in full into this scratch, then the valid part is copied
const TILE: usize = memory.data(MR * NR * 4, 16);

/** Bytes of workspace `gemm` needs (packed A block + packed B block). */
export function gemmWorkspaceBytes(): i32 {
  return (MC * KC + KC * NC) * 4;
}

// @ts-ignore: decorator
@inline function transpose4(v0: v128, v1: v128, v2: v128, v3: v128, d: usize, stride: usize): void {
  // 4 x 4 transpose: row q of the input (v_q) becomes lane q of every output row
  const a = v128.shuffle<i32>(v0, v1, 0, 4, 1, 5), b = v128.shuffle<i32>(v2, v3, 0, 4, 1, 5);
  const c = v128.shuffle<i32>(v0, v1, 2, 6, 3, 7), e = v128.shuffle<i32>(v2, v3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<i32>(a, b, 0, 1, 4, 5));
  v128.store(d + stride, v128.shuffle<i32>(a, b, 2, 3, 6, 7));
  v128.store(d + 2 * stride, v128.shuffle<i32>(c, e, 0, 1, 4, 5));
  v128.store(d + 3 * stride, v128.shuffle<i32>(c, e, 2, 3, 6, 7));
}

// @ts-ignore: decorator
@inline function packA(A: usize, lda: i32, transA: bool, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    const panel = dst + <usize>(ir * kc) * 4;
    if (transA) {
      // op(A)[i, p] = A[p * lda + i]: rows of the panel are contiguous in memory
      for (let p = 0; p < kc; p++) {
        const src = A + (<usize>(p0 + p) * lda + <usize>(i0 + ir)) * 4;
        const d = panel + (<usize>p << 4);
        if (rows == MR) v128.store(d, v128.load(src));
        else for (let r = 0; r < MR; r++) store<f32>(d + (<usize>r << 2), r < rows ? load<f32>(src + (<usize>r << 2)) : 0);
      }
    } else if (rows == MR) {
      // four rows of A, four p at a time, transposed into the panel
      const r0 = A + (<usize>(i0 + ir) * lda + <usize>p0) * 4, rb = <usize>lda << 2;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const o = <usize>p << 2;
        transpose4(v128.load(r0 + o), v128.load(r0 + rb + o), v128.load(r0 + 2 * rb + o), v128.load(r0 + 3 * rb + o),
                   panel + (<usize>p << 4), 16);
      }
      for (; p < kc; p++)
        for (let r = 0; r < MR; r++) store<f32>(panel + (<usize>(p * MR + r) << 2), load<f32>(r0 + <usize>r * rb + (<usize>p << 2)));
    } else {
      for (let r = 0; r < MR; r++) {
        if (r < rows) {
          const src = A + (<usize>(i0 + ir + r) * lda + <usize>p0) * 4;
          for (let p = 0; p < kc; p++) store<f32>(panel + (<usize>(p * MR + r) << 2), load<f32>(src + (<usize>p << 2)));
        } else {
          for (let p = 0; p < kc; p++) store<f32>(panel + (<usize>(p * MR + r) << 2), 0);
        }
      }
    }
  }
}

// @ts-ignore: decorator
@inline function packB(B: usize, ldb: i32, transB: bool, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const panel = dst + <usize>(jr * kc) * 4;
    if (transB && cols == NR) {
      // op(B)[p, j] = B[j * ldb + p]: 4 x 4 blocks of B transposed into the panel
      const rb = <usize>ldb << 2;
      for (let c = 0; c < NR; c += 4) {
        const r0 = B + (<usize>(j0 + jr + c) * ldb + <usize>p0) * 4;
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const o = <usize>p << 2;
          transpose4(v128.load(r0 + o), v128.load(r0 + rb + o), v128.load(r0 + 2 * rb + o), v128.load(r0 + 3 * rb + o),
                     panel + (<usize>(p * NR + c) << 2), 32);
        }
        for (; p < kc; p++)
          for (let q = 0; q < 4; q++) store<f32>(panel + (<usize>(p * NR + c + q) << 2), load<f32>(r0 + <usize>q * rb + (<usize>p << 2)));
      }
    } else if (transB) {
      // op(B)[p, j] = B[j * ldb + p]: read each column of the panel contiguously
      for (let c = 0; c < NR; c++) {
        if (c < cols) {
          const src = B + (<usize>(j0 + jr + c) * ldb + <usize>p0) * 4;
          for (let p = 0; p < kc; p++) store<f32>(panel + (<usize>(p * NR + c) << 2), load<f32>(src + (<usize>p << 2)));
        } else {
          for (let p = 0; p < kc; p++) store<f32>(panel + (<usize>(p * NR + c) << 2), 0);
        }
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const src = B + (<usize>(p0 + p) * ldb + <usize>(j0 + jr)) * 4;
        const d = panel + (<usize>p << 5);
        if (cols == NR) {
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
        } else {
          for (let c = 0; c < NR; c++) store<f32>(d + (<usize>c << 2), c < cols ? load<f32>(src + (<usize>c << 2)) : 0);
        }
      }
    }
  }
}

/** The 4 x 8 micro-kernel over packed panels; adds into C when `acc`, writes only rows < mr, cols < nr. */
// @ts-ignore: decorator
@inline function micro(kc: i32, a: usize, b: usize, c: usize, ldc: i32, acc: bool, mr: i32, nr: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    const a0 = v128.load32_splat(a);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0)); c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    const a1 = v128.load32_splat(a, 4);
    c10 = f32x4.add(c10, f32x4.mul(a1, b0)); c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    const a2 = v128.load32_splat(a, 8);
    c20 = f32x4.add(c20, f32x4.mul(a2, b0)); c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    const a3 = v128.load32_splat(a, 12);
    c30 = f32x4.add(c30, f32x4.mul(a3, b0)); c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    a += 16;
    b += 32;
  }
  const rb = <usize>ldc << 2;
  if (mr == MR && nr == NR) {
    const r0 = c, r1 = c + rb, r2 = r1 + rb, r3 = r2 + rb;
    if (acc) {
      c00 = f32x4.add(c00, v128.load(r0)); c01 = f32x4.add(c01, v128.load(r0, 16));
      c10 = f32x4.add(c10, v128.load(r1)); c11 = f32x4.add(c11, v128.load(r1, 16));
      c20 = f32x4.add(c20, v128.load(r2)); c21 = f32x4.add(c21, v128.load(r2, 16));
      c30 = f32x4.add(c30, v128.load(r3)); c31 = f32x4.add(c31, v128.load(r3, 16));
    }
    v128.store(r0, c00); v128.store(r0, c01, 16);
    v128.store(r1, c10); v128.store(r1, c11, 16);
    v128.store(r2, c20); v128.store(r2, c21, 16);
    v128.store(r3, c30); v128.store(r3, c31, 16);
    return;
  }
  v128.store(TILE, c00); v128.store(TILE, c01, 16);
  v128.store(TILE, c10, 32); v128.store(TILE, c11, 48);
  v128.store(TILE, c20, 64); v128.store(TILE, c21, 80);
  v128.store(TILE, c30, 96); v128.store(TILE, c31, 112);
  for (let i = 0; i < mr; i++) {
    const row = c + <usize>i * rb;
    for (let j = 0; j < nr; j++) {
      const o = row + (<usize>j << 2);
      const t = load<f32>(TILE + (<usize>(i * NR + j) << 2));
      store<f32>(o, acc ? load<f32>(o) + t : t);
    }
  }
}

/**
 * C[m, n] (row stride ldc) = beta C + op(A) op(B), beta 0 or 1; op(A) = A (m x k,
 * stride lda) or A^T (A stored k x m); op(B) = B (k x n, stride ldb) or B^T
 * (B stored n x k). `ws`: gemmWorkspaceBytes() bytes of scratch.
 */
export function gemm(transA: bool, transB: bool, m: i32, n: i32, k: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32,
                     beta: f32, ws: usize): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (beta == 0) for (let i = 0; i < m; i++) memory.fill(C + <usize>i * ldc * 4, 0, <usize>n << 2);
    return;
  }
  const Ap = ws, Bp = ws + <usize>(MC * KC) * 4;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(B, ldb, transB, pc, jc, kc, nc, Bp);
      const acc = pc > 0 || beta != 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(A, lda, transA, ic, pc, mc, kc, Ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bpan = Bp + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const c = C + (<usize>(ic + ir) * ldc + <usize>(jc + jr)) * 4;
            micro(kc, Ap + <usize>(ir * kc) * 4, bpan, c, ldc, acc, min(MR, mc - ir), nr);
          }
        }
      }
    }
  }
}
