// The backend is the bottom layer (cli -> experiments -> models -> learning ->
// backend): no file under src/backend imports from a layer above it, not even
// a type (the STDP rule spec, which learning/stdp.ts re-exports, is defined in
// src/backend/stdpRule.ts for this reason).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));
const ABOVE = ["learning", "models", "experiments", "cli"];

/** The layers above the backend that `file` (with source `text`) imports from, type-only imports and `export ... from` included. */
function upward(file: string, text: string): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((s) => s.startsWith("."))
    .map((s) => relative(SRC, resolve(dirname(file), s)).split(/[\\/]/)[0])
    .filter((layer) => ABOVE.includes(layer));
}

describe("layers", () => {
  it("finds an upward import where there is one", () => {
    const file = join(SRC, "backend", "wasm", "x.ts");
    const text =
      'import type { A } from "../../learning/stdp.js";\nexport { B } from "../types.js";\nconst m = import("../../models/psp.js");\n';
    expect(upward(file, text)).toEqual(["learning", "models"]);
  });

  it("src/backend imports nothing from learning, models, experiments or cli", () => {
    const files = readdirSync(join(SRC, "backend"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => join(SRC, "backend", f));
    expect(files.length).toBeGreaterThan(20);
    const found = files.flatMap((f) => upward(f, readFileSync(f, "utf8")).map((layer) => `${relative(SRC, f)} -> ${layer}`));
    expect(found).toEqual([]);
  });
});
