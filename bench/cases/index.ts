// Every benchmark family, one import line each.
import type { BenchCase } from "../types.js";
import { cases as core } from "./core.js";
import { cases as linalg } from "./linalg.js";
import { cases as microcircuit } from "./microcircuit.js";
import { cases as nn } from "./nn.js";
import { cases as sampling } from "./sampling.js";
import { cases as salnet } from "./salnet.js";
import { cases as rdd } from "./rdd.js";
import { cases as stdwi } from "./stdwi.js";
import { cases as psp } from "./psp.js";

export const ALL_CASES: BenchCase[] = [...core, ...linalg, ...sampling, ...microcircuit, ...salnet, ...rdd, ...stdwi, ...nn, ...psp];
