// The rng family's js reference: xoshiro128** of ../shared/rng.ts on one
// state block. Twin: assembly/rng.ts (`rngSeed`, `rngJump`, `rngFillU32`,
// `rngFillUniform`), bit-identical.
import type { RngKernels } from "../rng.js";
import { rngJump, rngNext, rngSeed, toUniform } from "../shared/rng.js";

export const rngKernels: RngKernels = {
  rngSeed: (state, seed) => rngSeed(state.view, 0, seed),
  rngJump: (state) => rngJump(state.view, 0),
  rngFillU32(state, out, n = out.length) {
    const s = state.view,
      o = out.view;
    for (let i = 0; i < n; i++) o[i] = rngNext(s, 0);
  },
  rngFillUniform(state, out, n = out.length) {
    const s = state.view,
      o = out.view;
    for (let i = 0; i < n; i++) o[i] = toUniform(rngNext(s, 0));
  },
};
