#!/usr/bin/env node
// spike-align command-line entry: a command per experiment of the list
// (src/experiments/index.ts), made from its descriptor by src/cli/run/
// command.ts, with the code of commands/<name>.ts where it has its own; the
// demo and the sweep commands. Maps commander's own errors (unknown option,
// bad value) to exit code 2.
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import type { Register } from "./define.js";
import { EXPERIMENT_LIST, type ExperimentName } from "../experiments/index.js";
import { plainCommand } from "./run/command.js";
import { register as demo } from "./commands/demo.js";
import { register as sweep } from "./commands/sweep.js";
import { register as sweepTask } from "./commands/sweepTask.js";
import { register as worker } from "./commands/worker.js";
import { register as report } from "./commands/report.js";
import { register as pair } from "./commands/pair.js";
import { register as stdd } from "./commands/stdd.js";
import { register as ssn } from "./commands/ssn.js";
import { register as microcircuit } from "./commands/microcircuit.js";
import { register as train } from "./commands/train.js";
import { register as ei } from "./commands/ei.js";

/** The experiments whose command has code of its own (commands/<name>.ts); the others are their descriptor's alone. */
const OWN: Partial<Record<ExperimentName, Register>> = { pair, stdd, ssn, microcircuit, train, ei };

/** `spike-align --help` lists the commands in this order; an experiment not named here follows at the end. */
const HELP_ORDER = "demo pair stdd ssn microcircuit align infer sweep sweep-task worker report train ei".split(" ");

function commands(): Register[] {
  const byName = new Map<string, Register>([
    ["demo", demo],
    ["sweep", sweep],
    ["sweep-task", sweepTask],
    ["worker", worker],
    ["report", report],
    ...EXPERIMENT_LIST.map((e): [string, Register] => [e.name, OWN[e.name] ?? plainCommand(e)]),
  ]);
  const rank = (name: string) => (HELP_ORDER.includes(name) ? HELP_ORDER.indexOf(name) : HELP_ORDER.length);
  return [...byName].sort((a, b) => rank(a[0]) - rank(b[0])).map(([, r]) => r);
}

function packageVersion(): string {
  let dir = new URL(".", import.meta.url);
  for (let i = 0; i < 6; i++) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(new URL("package.json", dir), "utf8"));
      const ours = typeof pkg === "object" && pkg !== null && "name" in pkg && pkg.name === "spike-align";
      if (ours && "version" in pkg && typeof pkg.version === "string") return pkg.version;
    } catch {
      // keep walking up
    }
    dir = new URL("..", dir);
  }
  return "unknown";
}

export function buildProgram(): Command {
  const program = new Command("spike-align")
    .description("Spike-based alignment learning (arXiv:2503.02642) and its competitors in stochastic spiking networks")
    .version(packageVersion())
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s.startsWith("error") ? `spike-align: ${s}` : s) });
  program.addHelpText(
    "after",
    `
Examples:
  spike-align demo                         # SSN under plasticity noise, SAL on vs off, report in ./spike-align-demo
  spike-align pair --json                  # two neurons: W01 1.5 / W10 0.5 meet near 1.0 (Fig. 2d)
  spike-align stdd --preset fig2e --out runs/fig2e
  spike-align train --preset quick         # MLP on Fashion-MNIST, 2 epochs; --method fa, kp, scfa, bp_w_fa
  spike-align <command> --help             # options and examples of one command

Exit codes: 0 done, 1 internal error, 2 bad input.`,
  );
  for (const register of commands()) register(program);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/**
 * A reader that goes away (`spike-align --help | head -1`, `ssn --json | head -1`) is not an error:
 * on EPIPE the process ends quietly (exit handlers still remove locks and temporary files).
 */
function quietOnClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED") process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
}

/**
 * When the wasm memory cannot be reserved (e.g. under `ulimit -v`), Node's bundled fetch (undici)
 * also fails to instantiate its own wasm parser, as a rejection nobody awaits. The CLI never
 * fetches, so that one rejection is ignored; createBackend falls back to js with one warning.
 */
function ignoreUndiciWasmFailure(): void {
  process.on("unhandledRejection", (reason) => {
    if (reason instanceof RangeError && /wasm memory/i.test(reason.message) && /undici|llhttp/.test(reason.stack ?? "")) return;
    throw reason;
  });
}

export async function main(argv: string[]): Promise<void> {
  quietOnClosedPipes();
  ignoreUndiciWasmFailure();
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; every parse error is bad input
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    throw err;
  }
}

await main(process.argv);
