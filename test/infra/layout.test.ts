// The buffer layouts shared by TypeScript and AssemblyScript have one source
// (src/backend/layout.ts): the generated AssemblyScript file must be what the
// generator writes for it, the embedded wasm binary must carry its hash, and
// the kernels must not repeat slot numbers by hand.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as layout from "../../src/backend/layout.js";
import { LAYOUT_HASH, loadWasm } from "../../src/backend/wasm/instance.js";
import { renderLayout } from "../../scripts/gen-layout.mjs";

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), "utf8");

/** A minimal wasm module exporting `memory` and `layoutHash() -> 0`. */
const FOREIGN_LAYOUT = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00,
  0x01,
  0x05,
  0x01,
  0x60,
  0x00,
  0x01,
  0x7f, // type: () -> i32
  0x03,
  0x02,
  0x01,
  0x00, // function 0 of type 0
  0x05,
  0x03,
  0x01,
  0x00,
  0x01, // memory of one page
  0x07,
  0x17,
  0x02,
  0x06,
  0x6d,
  0x65,
  0x6d,
  0x6f,
  0x72,
  0x79,
  0x02,
  0x00, // export "memory"
  0x0a,
  0x6c,
  0x61,
  0x79,
  0x6f,
  0x75,
  0x74,
  0x48,
  0x61,
  0x73,
  0x68,
  0x00,
  0x00, // export "layoutHash"
  0x0a,
  0x06,
  0x01,
  0x04,
  0x00,
  0x41,
  0x00,
  0x0b, // body: i32.const 0
]);

describe("shared buffer layout", () => {
  it("assembly/layout.generated.ts is what scripts/gen-layout.mjs writes for src/backend/layout.ts", async () => {
    expect(read("assembly/layout.generated.ts")).toBe(await renderLayout());
  });

  it("names every slot once: the generated file has each constant of layout.ts under the same name", () => {
    const text = read("assembly/layout.generated.ts");
    expect(text).toContain("export namespace SAMPLING_H {");
    expect(text).toContain(`  export const nextStop: i32 = ${layout.SAMPLING_H.nextStop};`);
    expect(text).toContain(`  export const accCount: i32 = ${layout.MC111_D.accCount};`);
    expect(text).toContain(`export const MC_BRACKET: f32 = ${layout.MC_BRACKET};`);
  });

  it("the hash changes when any slot moves", () => {
    const entries = layout.layoutEntries(layout);
    const moved = structuredClone(entries);
    const h = moved.find(([name]) => name === "SAMPLING_H")![1] as [string, number][];
    h[2][1] += 1;
    expect(layout.hashLayout(moved)).not.toBe(layout.hashLayout(entries));
    expect(layout.hashLayout(entries)).toBe(LAYOUT_HASH);
  });

  it("the embedded wasm binary was built from this layout, and a binary from another one is refused", async () => {
    const ctx = await loadWasm();
    expect(ctx.exports.layoutHash() >>> 0).toBe(LAYOUT_HASH);
    await expect(loadWasm(FOREIGN_LAYOUT)).rejects.toThrow(/built from another buffer layout \(hash 0, .*npm run build/);
  });

  it("the kernels read header slots by name, not by number", () => {
    for (const file of ["assembly/sampling.ts", "assembly/microcircuit.ts"]) {
      const src = read(file);
      // hget(h, 3), i32at(I, 4), f32at(F, 17), setf64(D, 6, ...): a raw slot or offset
      expect(src, file).not.toMatch(/\b(hget|hset|hptr|i32at|seti32|f32at|setf32|f64at|setf64)\((h|I|F|D), \d/);
      expect(src, file).not.toMatch(/v128\.(load|store)\((I|F|D|C), [^)]*\d+ << 2/);
    }
  });
});
