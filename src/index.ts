// Node entry: everything of the browser entry plus file output.
export * from "./browser.js";
export { OutDir, writeFileAtomic } from "./io/out.js";
export { loadConfigFile, parseConfig } from "./config/load.js";
export { loadDataset, DATASETS } from "./data/datasets.js";
