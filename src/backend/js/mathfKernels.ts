// The mathf family's js reference: array forms of the scalar f32 exp and
// thresholds of ../shared/mathf.ts. Twin: assembly/mathf.ts (`expArray`,
// `thresholdArray`), bit-identical.
import type { MathfKernels } from "../mathf.js";
import { expf, threshold } from "../shared/mathf.js";

export const mathfKernels: MathfKernels = {
  expArray(x, out, n = x.length) {
    const a = x.view,
      o = out.view;
    for (let i = 0; i < n; i++) o[i] = expf(a[i]);
  },
  thresholdArray(u, out, tRef, n = u.length) {
    const a = u.view,
      o = out.view;
    for (let i = 0; i < n; i++) o[i] = threshold(a[i], tRef);
  },
};
