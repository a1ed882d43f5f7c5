// The neuron model of a stdd config: the pair's time convention, ties rule
// and PSP (rectangle or table), with the defaults of the config's convention
// (config.ts `convention`), the SAL window, and the checks of the model.
import { usage } from "../../errors.js";
import type { StddConfig } from "./config.js";
import type { PairParams } from "../../analysis/stdd/stdd.js";
import type { SalWindow } from "../../learning/sal.js";
import { defaultPspLength, pspTable } from "../../models/psp.js";

/** The SAL window of a config (tau null = tRef). */
export function salWindowOf(cfg: StddConfig): SalWindow {
  return { tau: cfg.window.tau ?? cfg.tRef, aCausal: cfg.window.aCausal, aAnti: cfg.window.aAnti };
}

/** The fields of a config that make the neuron model of a pair (a sweep fills them per shape). */
export type ModelFields = Pick<
  StddConfig,
  "tRef" | "psp" | "tauSyn" | "convention" | "pspLength" | "pspTail" | "minIsi" | "ties" | "maxLag"
>;

/** Largest exact chain (states per neuron) for PSP shapes; the chain has that number squared states. */
export const MAX_SHAPED_CHAIN = 256;

/**
 * The pair's time convention, ties rule and PSP from the config, the convention's defaults filling the
 * null fields (config.ts `convention`). The rectangle keeps the simulator's rectangular PSP (no table).
 */
export function modelParams(c: ModelFields): Pick<PairParams, "tauSyn" | "pspLength" | "minIsi" | "pspTable" | "ties"> {
  const stddc = c.convention === "stddc";
  const out: Pick<PairParams, "tauSyn" | "pspLength" | "minIsi" | "pspTable" | "ties"> = {
    tauSyn: c.tauSyn,
    minIsi: c.minIsi ?? (stddc ? c.tRef : c.tRef + 1),
    ties: c.ties ?? (stddc ? "pair" : "skip"),
  };
  if (c.psp === "rect") out.pspLength = c.pspLength ?? c.tauSyn - 1;
  else
    out.pspTable = pspTable({
      shape: c.psp,
      tRef: c.tRef,
      tauSyn: c.tauSyn,
      length: shapedLength(c),
      tail: c.pspTail ?? (stddc ? "hold" : "zero"),
    });
  return out;
}

/** Lags the PSP table of a non-rectangular shape covers (config `pspLength` or the convention's default). */
function shapedLength(c: ModelFields): number {
  if (c.pspLength !== null) return c.pspLength;
  if (c.convention === "stddc") return c.maxLag ?? 2 * c.tRef - 1;
  return defaultPspLength(c.psp, c.tRef, c.tauSyn);
}

/** Checks the neuron model of `c`: the rectangle's integer length, the tail's shape, the exact chain's size. */
export function checkModel(c: ModelFields, exact: boolean, field = ""): void {
  if (c.psp === "rect") {
    if (!Number.isInteger(c.tauSyn))
      throw usage(`${field}tauSyn`, c.tauSyn, "the rectangle's length must be an integer >= 1 (other PSP shapes take any tauSyn > 0)");
    if (c.pspTail !== null) throw usage(`${field}pspTail`, c.pspTail, "applies to non-rectangular PSP shapes; leave it null for rect");
  }
  if (!exact) return;
  const m = modelParams(c);
  const minIsi = m.minIsi!;
  if (m.pspTable) {
    const M = Math.max(minIsi, m.pspTable.length);
    if (M > MAX_SHAPED_CHAIN) {
      const [name, v] = m.pspTable.length >= minIsi ? ["pspLength", m.pspTable.length] : ["minIsi", minIsi];
      throw usage(
        `${field}${name}`,
        v,
        `the exact chain of a PSP shape needs pspLength and minIsi <= ${MAX_SHAPED_CHAIN}` +
          ` (give a shorter --psp-length, or use --method mc)`,
      );
    }
  } else {
    const M = Math.max(minIsi, m.pspLength! + 1);
    const branching = M * M - (minIsi - 1) * (minIsi - 1);
    if (branching > 4000)
      throw usage(`${field}tauSyn`, c.tauSyn, `too long for the exact method with tRef ${c.tRef} (use tauSyn <= tRef + 1, or --method mc)`);
  }
}

/** The model fields of sweep shape `i` (on the grid, or at the examples' tRef and maxLag). */
export function sweepModel(cfg: StddConfig, i: number, example = false): ModelFields {
  const sh = cfg.sweep!.shapes[i];
  const tRef = example ? cfg.sweep!.examples.tRef : cfg.tRef;
  const maxLag = example ? cfg.sweep!.examples.maxLag : cfg.maxLag;
  // the rectangle's length parameter is an integer number of steps
  const tauSyn = sh.psp === "rect" ? Math.max(1, Math.round(sh.tauSynFactor * tRef)) : sh.tauSynFactor * tRef;
  return {
    tRef,
    psp: sh.psp,
    tauSyn,
    convention: cfg.convention,
    pspLength: example ? null : cfg.pspLength,
    pspTail: sh.psp === "rect" ? null : cfg.pspTail,
    minIsi: example ? null : cfg.minIsi,
    ties: cfg.ties,
    maxLag,
  };
}
