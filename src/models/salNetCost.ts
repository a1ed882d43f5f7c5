// What a layered SAL network (src/models/salNet.ts on src/backend/salnet.ts)
// costs: the bytes of its state buffers and a rough time per step, for the
// size guards of align and of train's SAL phase.
import { salnetLayout } from "../backend/salnet.js";

/** Synapses (forward weights) of the fc layers between the populations. */
export function synapses(layers: readonly number[]): number {
  let s = 0;
  for (let l = 0; l + 1 < layers.length; l++) s += layers[l] * layers[l + 1];
  return s;
}

/**
 * Rough ns per step of a layered SAL network (all copies), fitted on a 2-core EPYC VM shared with other
 * work: about 0.25 ns per synapse and 10 ns per neuron of every copy on wasm (spikes add weight
 * columns, every neuron draws each step); js about 10 x slower.
 */
export function salnetNsPerStep(layers: readonly number[], batch: number, backend: "wasm" | "js"): number {
  const N = layers.reduce((a, n) => a + n, 0);
  const wasm = 2000 + batch * (0.25 * synapses(layers) + 10 * N);
  return backend === "js" ? 10 * wasm : wasm;
}

/** Bytes of a layered SAL network's four state buffers (src/backend/salnet.ts). */
export function salnetBytes(layers: number[], batch: number, tRef: number, windowLength: number): number {
  const L = salnetLayout({ layers, batch, tRef, tau: tRef, windowLength });
  return 4 * L.f.size + 4 * L.i.size + 4 * L.u.size + 8 * L.d.size;
}
