// The loaders an experiment that reads files gets on the Node side
// (src/experiments/descriptor.ts `InputIo`): the CLI, sweep workers, and
// createRun of the Node entry use them; a browser page passes the data in.
import type { InputIo } from "../experiments/descriptor.js";
import { loadDataset } from "./datasets.js";

export const NODE_IO: InputIo = { loadDataset };
