// The align experiment for library users: config (schema, presets), run, report, and its descriptor.
export * from "./config.js";
export * from "./run.js";
export * from "./report.js";
export * from "./experiment.js";
