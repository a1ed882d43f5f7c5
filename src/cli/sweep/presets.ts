// Built-in sweeps: the paper's multi-run figures (arXiv:2503.02642, Figs. 4,
// 5 and 6) and a small smoke sweep for tests. Each is a sweep definition in
// the file format of definition.ts, built from the experiments' own lists
// (the SSN's 120-run grids, the microcircuit's seed bases).
import { DEFAULT_NOISE, gridRun, NOISE_LEVELS } from "../../experiments/ssn/config.js";
import { FEEDBACKS, PAPER_SEED_BASE, PAPER_TEACHER_SEED } from "../../experiments/microcircuit/config.js";
import { METHOD_NAMES } from "../../learning/feedback.js";

type Def = Record<string, unknown>;

/** The 120 runs of a noise scenario's grid (`ssn --run i`), each with SAL on and off: 240 runs. */
function ssnScenario(scenario: "syn-noise" | "plast-noise"): Def {
  const total = NOISE_LEVELS[scenario].length * 20;
  const runs: Def[] = [];
  for (let i = 0; i < total; i++) {
    const g = gridRun(scenario, i);
    const noise = scenario === "syn-noise" ? { initNoise: g.noise } : { "stdpNoise.ws": g.noise, "stdpNoise.sal": g.noise };
    for (const sal of [true, false])
      runs.push({ ...noise, "seeds.distr": g.seeds.distr, "seeds.init": g.seeds.init, "seeds.sim": g.seeds.sim, sal });
  }
  return { name: `ssn-${scenario}`, command: "ssn", preset: scenario, runs };
}

export const SWEEP_PRESETS: Record<string, { description: string; def: () => Def }> = {
  "ssn-syn-noise": {
    description:
      `Fig. 4: synaptic noise ${NOISE_LEVELS["syn-noise"].join(", ")}` +
      ` x 5 target seeds x 4 init seeds, SAL on and off (240 runs, 20001 epochs each)`,
    def: () => ssnScenario("syn-noise"),
  },
  "ssn-plast-noise": {
    description:
      `Fig. 5: plasticity noise ${NOISE_LEVELS["plast-noise"].join(", ")}` +
      ` x 5 target seeds x 4 init seeds, SAL on and off (240 runs, 150001 epochs each)`,
    def: () => ssnScenario("plast-noise"),
  },
  "microcircuit-fig6": {
    description: "Fig. 6: bp, fa and sal x 20 seeds (the authors' seed bases), 150 epochs each (60 runs)",
    def: () => ({
      name: "microcircuit-fig6",
      command: "microcircuit",
      preset: "paper",
      runs: FEEDBACKS.flatMap((feedback) =>
        Array.from({ length: 20 }, (_, i) => ({
          feedback,
          seed: PAPER_SEED_BASE[feedback] + i + 1,
          teacherSeed: PAPER_TEACHER_SEED[feedback],
        })),
      ),
    }),
  },
  "deepnet-fig8": {
    description:
      `Fig. 8 on Fashion-MNIST: the conv net with each feedback method (${METHOD_NAMES.join(", ")})` +
      `, 100 epochs each (7 runs; days of CPU: see docs/commands/train.md#measured)`,
    def: () => ({ name: "deepnet-fig8", command: "train", preset: "paper", grid: { method: [...METHOD_NAMES] } }),
  },
  "deepnet-quick": {
    description:
      `the deep-net comparison on the MLP: ${METHOD_NAMES.join(", ")}` +
      `, 2 epochs of Fashion-MNIST each (7 runs, about 20 minutes on 2 cores)`,
    def: () => ({ name: "deepnet-quick", command: "train", preset: "quick", grid: { method: [...METHOD_NAMES] } }),
  },
  "ssn-smoke": {
    description:
      `a short SSN sweep for checks: init noise 0.2 and ${DEFAULT_NOISE["syn-noise"]}` +
      ` x SAL on/off x 2 simulation seeds, 21 epochs of 100 t_ref (8 runs, about a second each)`,
    def: () => ({
      name: "ssn-smoke",
      command: "ssn",
      preset: "minimal",
      config: { epochs: 21, dur: 100, valStep: 10, valFactor: 10 },
      grid: { initNoise: [0.2, DEFAULT_NOISE["syn-noise"]], sal: [true, false], "seeds.sim": [1, 2] },
    }),
  },
};
