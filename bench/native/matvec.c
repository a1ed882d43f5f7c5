/* Native reference for the matvec kernel: y = A x, A 512 x 512 f32 row-major.
   Built by bench/run.ts with the machine's cc (-O3 -march=native) when present.
   Prints one JSON line: {"name":"matvec","size":512,"nsPerOp":...,"gflops":...}. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* 16 independent partial sums per row: vectorisable without -ffast-math, the
   same strategy as the wasm kernel's lanes-and-accumulators loop. */
static void matvec(const float *restrict a, const float *restrict x, float *restrict y, int rows, int cols) {
  for (int i = 0; i < rows; i++) {
    float acc[16] = {0};
    const float *row = a + (size_t)i * cols;
    int j = 0;
    for (; j + 16 <= cols; j += 16)
      for (int k = 0; k < 16; k++) acc[k] += row[j + k] * x[j + k];
    float s = 0.0f;
    for (int k = 0; k < 16; k++) s += acc[k];
    for (; j < cols; j++) s += row[j] * x[j];
    y[i] = s;
  }
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 512;
  float *a = aligned_alloc(64, sizeof(float) * n * n), *x = aligned_alloc(64, sizeof(float) * n), *y = aligned_alloc(64, sizeof(float) * n);
  for (int i = 0; i < n * n; i++) a[i] = (float)((i * 7919) % 1000) / 1000.0f - 0.5f;
  for (int i = 0; i < n; i++) x[i] = (float)i / n;
  int reps = 200;
  double best = 1e300, sink = 0;
  for (int round = 0; round < 20; round++) {
    double t0 = now_ns();
    for (int r = 0; r < reps; r++) { matvec(a, x, y, n, n); sink += y[r % n]; x[r % n] += 1e-7f; }
    double dt = (now_ns() - t0) / reps;
    if (dt < best) best = dt;
  }
  printf("{\"name\":\"matvec\",\"size\":%d,\"nsPerOp\":%.1f,\"gflops\":%.3f,\"sink\":%g}\n", n, best, 2.0 * n * n / best, sink);
  return 0;
}
