// Configuration of the demo: one SSN config (src/experiments/ssn/config.ts,
// default preset `minimal`) run twice from the same seeds, SAL on and off.
import { ssnConfigSchema, SSN_PRESETS, type SsnConfig } from "../ssn/config.js";

export const demoConfigSchema = ssnConfigSchema;
export const DEMO_PRESETS = SSN_PRESETS;
export type DemoConfig = SsnConfig;

/** The two runs of the demo: SAL on, then SAL off; everything else the same. */
export function demoRuns(cfg: DemoConfig): [SsnConfig, SsnConfig] {
  return [
    { ...cfg, sal: true },
    { ...cfg, sal: false },
  ];
}
