// How a command is defined: its name, description, the shared options, its
// own options, its help text (with the Bounds table), and an action run
// under runAction (bad input exit 2, anything else exit 1). --resume's rule:
// `ctx.onlyWithResume` rejects flags that would change the resumed run.
import type { Command } from "commander";
import type { Bound } from "../config/numbers.js";
import { UsageError } from "../errors.js";
import { runAction } from "./errors.js";
import { addSharedOptions, boundsHelp, givenOptions, type SharedOptions } from "./options.js";

/** What defineCommand hands an action besides its options. */
export interface CommandContext {
  /** Option names (camelCase) given on the command line. */
  given: Set<string>;
  /**
   * With --resume, rejects every other option given except `allowed` (camelCase names; --resume,
   * --json and --quiet are always allowed): the resumed run keeps the config it was started with.
   */
  onlyWithResume(allowed: string[]): void;
}

/**
 * With --resume, rejects every other option given on the command line except `allowed` (camelCase
 * names; --resume, --json and --quiet are always allowed). For commands registered by hand.
 */
export function onlyWithResume(cmd: Command, allowed: string[], given = givenOptions(cmd)): void {
  const ok = new Set(["resume", "json", "quiet", ...allowed]);
  for (const key of given) {
    if (ok.has(key)) continue;
    const o = cmd.options.find((x) => x.attributeName() === key)!;
    const also = allowed.map((a) => cmd.options.find((x) => x.attributeName() === a)?.long).filter(Boolean);
    throw new UsageError(
      `${o.long}: cannot be combined with --resume (the run continues with the config in its directory)` +
        `${also.length ? `; allowed with --resume: ${also.join(", ")}` : ""}`,
    );
  }
}

function contextOf(cmd: Command): CommandContext {
  const given = givenOptions(cmd);
  return { given, onlyWithResume: (allowed) => onlyWithResume(cmd, allowed, given) };
}

/** Commands register through this type. */
export type Register = (program: Command) => void;

export interface CommandSpec<O extends SharedOptions> {
  name: string;
  description: string;
  /** Preset names for --preset (omitted: the command has none). */
  presets?: string[];
  /** The command's own options, added after the shared ones. */
  options?(cmd: Command): void;
  /** Help text after the options: examples first. */
  help: string;
  /** Config fields without a flag and their bounds, for the --help table (flags made by numOption are listed anyway). */
  bounds?: [string, Bound][];
  /** Adds --force: the action opens --out with openRunDir (the output protocol). */
  runDir?: boolean;
  /** Adds --yes: the action calls guardResources. */
  yes?: boolean;
  action(opts: O, ctx: CommandContext): Promise<void> | void;
}

/**
 * Registers a command the way every command does: name and description, the shared options
 * (--config, --preset, --seed, --backend, --out, --json, --quiet), then its own, then its help text;
 * the action runs under `runAction` (bad input exit 2, anything else exit 1).
 */
export function defineCommand<O extends SharedOptions>(spec: CommandSpec<O>): Register {
  return (program: Command) => {
    const cmd = program.command(spec.name).description(spec.description);
    addSharedOptions(cmd, spec.presets, { force: spec.runDir, yes: spec.yes });
    spec.options?.(cmd);
    cmd.addHelpText("after", spec.help + "\n" + boundsHelp(cmd, spec.bounds));
    cmd.action(runAction(async (opts: O) => spec.action(opts, contextOf(cmd))));
  };
}
