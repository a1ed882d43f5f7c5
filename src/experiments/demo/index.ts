// Public API of the demo (browser-safe: no fs).
export { demoConfigSchema, DEMO_PRESETS, demoRuns, type DemoConfig } from "./config.js";
export { runDemo, type DemoRun, type DemoMetrics, type DemoRunName } from "./run.js";
export { demoSummary, demoTable, writeDemoOutputs, type DemoSummary } from "./report.js";
