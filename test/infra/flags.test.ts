// An experiment's command line from its descriptor (src/cli/run/flags.ts): the config fields
// its flags set, and the messages of its own parsers.
import { describe, expect, it } from "vitest";
import { Command } from "commander";
import { EXPERIMENTS } from "../../src/experiments/index.js";
import { addOptionSpecs, flagOverrides } from "../../src/cli/run/flags.js";

describe("flag overrides", () => {
  it("a field, several fields, a computed set, the shared --seed and --backend", () => {
    expect(flagOverrides(EXPERIMENTS.ssn, { seed: 5, tRef: 12, sal: "off", epochs: undefined })).toEqual({
      seeds: { distr: 5, init: 5, sim: 5 },
      tRef: 12,
      tauSyn: 12,
      sal: false,
    });
    expect(flagOverrides(EXPERIMENTS.pair, { seed: 5, backend: "js", stepsPerEpoch: 100, w01: 1 })).toEqual({
      seed: 5,
      stepsPerEpoch: 100,
    });
    expect(flagOverrides(EXPERIMENTS.stdd, { backend: "js", w01: 0.5, w10: 1, maxLag: "none", tau: 3 })).toEqual({
      backend: "js",
      pairs: [{ W01: 0.5, W10: 1 }],
      grid: null,
      maxLag: null,
      "window.tau": 3,
    });
    expect(flagOverrides(EXPERIMENTS.microcircuit, { teacherPatternSteps: 7, freeValidation: true, salPairing: "all" })).toEqual({
      "schedule.teacherPatternSteps": { bp: 7, fa: 7, sal: 7 },
      "quirks.nudgeDuringValidation": false,
      "quirks.salNearestPairing": false,
    });
    // a negated flag not given (commander's default true) sets nothing
    expect(flagOverrides(EXPERIMENTS.train, { augment: true, doubleSoftmax: false })).toEqual({ augment: undefined, doubleSoftmax: false });
  });
});

describe("an experiment's own parsers on the command line", () => {
  const parse = async (name: keyof typeof EXPERIMENTS, args: string[]) => {
    const cmd = new Command(name).exitOverride().configureOutput({ writeErr: () => undefined });
    addOptionSpecs(cmd, EXPERIMENTS[name].cli.options);
    await cmd.parseAsync(args, { from: "user" });
    return cmd.opts();
  };
  it("parse the value, and say why a bad one is bad in commander's words", async () => {
    expect((await parse("align", ["--layers", "20,10,5"])).layers).toEqual([20, 10, 5]);
    expect((await parse("ei", ["--grid", "0,1,0.5"])).grid).toEqual({ min: 0, max: 1, step: 0.5 });
    await expect(parse("align", ["--layers", "20"])).rejects.toThrow(
      /option '--layers <sizes>' argument '20' is invalid\. --layers must list 2 to \d+ population sizes/,
    );
    await expect(parse("ei", ["--grid", "0,1,x"])).rejects.toThrow(/argument '0,1,x' is invalid\. step must be/);
    await expect(parse("stdd", ["--max-lag", "-1"])).rejects.toThrow(/argument '-1' is invalid\. It must be .*, or 'none'\./);
    await expect(parse("train", ["--data", ""])).rejects.toThrow(/An empty string is not a path; give one \(or leave --data out\)/);
  });
});
