// An experiment's command line from its descriptor (src/experiments/
// descriptor.ts `cli`): the commander options of its OptionSpecs, and the
// config overrides of the flags given, by dotted field. The config of a run
// is its preset, then the config file (ours, or a layout the descriptor's
// `fromFile` maps onto ours), then the flags.
import { InvalidArgumentError, Option, type Command } from "commander";
import { loadConfigFile } from "../../config/load.js";
import { OptionValueError } from "../../errors.js";
import type { Experiment, FieldSpec, OptionSpec } from "../../experiments/descriptor.js";
import { numOption, pathArg, type SharedOptions } from "../options.js";
import { resolveConfig } from "../config.js";

/** `parse` for commander: its OptionValueError becomes commander's "argument '...' is invalid. <why>". */
function commanderParser(parse: (v: string) => unknown): (v: string) => unknown {
  return (v) => {
    try {
      return parse(v);
    } catch (err) {
      if (err instanceof OptionValueError) throw new InvalidArgumentError(err.message);
      throw err;
    }
  };
}

/** The commander option of a spec (a bounded number is listed in --help's Bounds table). */
export function optionOf(spec: OptionSpec): Option {
  const o = spec.bound ? numOption(spec.flags, spec.description, spec.bound) : new Option(spec.flags, spec.description);
  if (spec.choices) o.choices([...spec.choices]);
  if (spec.path) o.argParser(pathArg(o.long ?? spec.flags));
  if (spec.parse) o.argParser(commanderParser(spec.parse));
  return o;
}

export function addOptionSpecs(cmd: Command, specs: readonly OptionSpec[]): Command {
  for (const s of specs) cmd.addOption(optionOf(s));
  return cmd;
}

/** The config overrides of the flags in `opts` (by dotted field; a flag not given sets nothing). */
export function flagOverrides(
  exp: Pick<Experiment<string, unknown, unknown, unknown, object, unknown>, "cli">,
  opts: object,
): Record<string, unknown> {
  const flags = opts as Readonly<Record<string, unknown>>;
  const out: Record<string, unknown> = {};
  const apply = (spec: FieldSpec, name: string) => {
    const v = flags[name];
    if (v === undefined) return;
    if (spec.set) Object.assign(out, spec.set(v, flags));
    else for (const f of typeof spec.field === "string" ? [spec.field] : (spec.field ?? [])) out[f] = v;
  };
  apply(exp.cli.seed ?? { field: "seed" }, "seed");
  if (exp.cli.backend) apply(exp.cli.backend, "backend");
  for (const s of exp.cli.options) apply(s, new Option(s.flags).attributeName());
  return out;
}

/** preset <- config file <- flags, validated by the experiment's schema (a UsageError naming the field). */
export function resolveExperiment<C>(exp: Experiment<string, C, unknown, unknown, object, unknown>, opts: SharedOptions): C {
  const file = opts.config === undefined ? undefined : exp.fromFile(loadConfigFile(opts.config));
  return resolveConfig({
    schema: exp.schema,
    presets: exp.presets,
    defaultPreset: exp.defaultPreset,
    preset: opts.preset,
    config: file,
    configPath: opts.config,
    overrides: flagOverrides(exp, opts),
  });
}
