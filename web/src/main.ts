// The SAL lab page: three panels, each simulation in its own Web Worker.
import "./style.css";
import { clients } from "./client";
import { $, lab, requestedBackend } from "./lab";
import { startMeters } from "./perf";
import { principlePanel } from "./principle";
import { ssnPanel } from "./ssnPanel";
import { mcPanel } from "./mcPanel";

principlePanel();
ssnPanel();
mcPanel();
startMeters();

// the backend in use, as the first worker reports it (every worker makes the same choice)
void clients[0].ready.then((b) => {
  lab.backend = b;
  const el = $("backend");
  el.textContent = b.simd ? "wasm SIMD" : `js (${b.detail})`;
  el.title = b.simd ? "the SIMD WebAssembly kernels" : `the pure TypeScript backend: ${b.detail}`;
  el.classList.toggle("warn", !b.simd && requestedBackend !== "js");
});
