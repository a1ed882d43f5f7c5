// The infer experiment for library users: config (schema, presets), run, report.
export * from "./config.js";
export * from "./run.js";
export * from "./report.js";
