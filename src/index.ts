// Node entry: everything of the browser entry plus file output, and a
// createRun that loads what a run reads from files itself (train's dataset).
import { createRun as createRunWith } from "./experiments/session.js";
import { NODE_IO } from "./data/nodeIo.js";

export * from "./browser.js";
export { OutDir, writeFileAtomic } from "./io/out.js";
export { loadConfigFile, parseConfig } from "./config/load.js";
export { loadDataset, DATASETS } from "./data/datasets.js";
export { NODE_IO } from "./data/nodeIo.js";

/** createRun of the browser entry, with Node's loaders: a train run loads its dataset unless given `input`. */
export const createRun: typeof createRunWith = (k, name, cfg = {}, o = {}) => createRunWith(k, name, cfg, { io: NODE_IO, ...o });
