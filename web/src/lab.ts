// Shared page state: the backend choice, the error line, and `window.salLab`,
// the read-only view of what the page shows (plots and final values) that the
// end-to-end test and a curious reader's console can inspect.
import { registry } from "./plots";

export interface Lab {
  plots: typeof registry;
  backend: { backend: string; simd: boolean; detail: string } | null;
  learn: { running: boolean; done: boolean; W01: number | null; W10: number | null };
  ssn: { epochs: number[]; running: boolean; done: { on: boolean; off: boolean }; detail: "on" | "off" };
  mc: { running: boolean; done: Record<string, boolean> };
  fps: number;
}

export const lab: Lab = {
  plots: registry,
  backend: null,
  learn: { running: false, done: false, W01: null, W10: null },
  ssn: { epochs: [], running: false, done: { on: false, off: false }, detail: "on" },
  mc: { running: false, done: {} },
  fps: 0,
};
(globalThis as unknown as { salLab: Lab }).salLab = lab;

/** ?backend=js forces the pure TypeScript backend (to compare, or where wasm SIMD is missing). */
export const requestedBackend: "wasm" | "js" = new URLSearchParams(location.search).get("backend") === "js" ? "js" : "wasm";

export function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page: no element #${id}`);
  return el;
}

export function input(id: string): HTMLInputElement {
  return $(id) as HTMLInputElement;
}

/** A worker's error: on the console and in the section's read-out. */
export function reportError(where: string, message: string): void {
  console.error(`${where}: ${message}`);
  const out = document.querySelector<HTMLElement>(`[data-errors-for="${where.split(" ")[0]}"]`) ?? $("backend");
  out.textContent = `${where}: ${message}`;
  out.classList.add("error");
}

export const fmt = (x: number | null | undefined, digits = 3) =>
  x == null || !Number.isFinite(x) ? "–" : Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(digits) : x.toExponential(1);
