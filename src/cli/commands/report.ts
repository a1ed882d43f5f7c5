// `spike-align report OUT`: the figures and tables of a sweep directory
// (also of a partial sweep) in OUT/report/ (src/cli/sweep/report.ts).
import { join } from "node:path";
import type { Command } from "commander";
import { printSummary, say } from "../output.js";
import { runAction } from "../errors.js";
import type { Register } from "../define.js";
import { usage } from "../../errors.js";
import { writeSweepReport } from "../sweep/report.js";

export const register: Register = (program: Command) => {
  program
    .command("report")
    .description("Figures and tables of a sweep directory (also of a partial sweep); writes OUT/report/ only")
    .argument("<out>", "the sweep's output directory")
    .option("--json", "print the report summary JSON as the last stdout line")
    .option("--quiet", "no output")
    .action(
      runAction((out: string, opts: { json?: boolean; quiet?: boolean }) => {
        if (out === "") throw usage("report", out, "the output directory of a sweep");
        const r = writeSweepReport(out);
        say(
          opts,
          `sweep ${r.name} (${r.command}): ${r.complete} of ${r.runs} runs complete${r.missing ? `, ${r.missing} missing` : ""}; ` +
            `${r.conditions.length} conditions; wrote ${join(out, "report")}`,
        );
        printSummary(
          {
            command: "report",
            sweep: r.name,
            runs: r.runs,
            complete: r.complete,
            missing: r.missing,
            conditions: r.conditions,
            out: join(out, "report"),
          },
          opts,
        );
      }),
    );
};
