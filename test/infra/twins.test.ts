// Each kernel family has two twins, the readable js reference
// (src/backend/js/<family>Kernels.ts) and the SIMD AssemblyScript
// (assembly/<family>.ts), and each names the other in its header comment;
// every file the headers name exists (a moved file leaves no stale path).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url);
const list = (dir: string) => readdirSync(new URL(dir, root)).filter((f) => f.endsWith(".ts") && !f.includes(".generated."));

/** The comment lines a file starts with. */
function header(path: string): string {
  const lines = readFileSync(new URL(path, root), "utf8").split("\n");
  const end = lines.findIndex((l) => !l.startsWith("//"));
  return lines.slice(0, end < 0 ? lines.length : end).join("\n");
}

const families = list("src/backend/js/")
  .filter((f) => f.endsWith("Kernels.ts"))
  .map((f) => f.slice(0, -"Kernels.ts".length));
const assemblyFiles = list("assembly/").map((f) => `assembly/${f}`);
const twinFiles = [
  ...families.map((f) => `src/backend/js/${f}Kernels.ts`),
  ...families.map((f) => `src/backend/wasm/${f}Kernels.ts`),
  ...assemblyFiles,
];

describe("kernel twins", () => {
  it("finds the nine families, each with its assembly file", () => {
    expect(families.sort()).toEqual(["linalg", "mathf", "microcircuit", "nn", "rdd", "rng", "salnet", "sampling", "stdwi"]);
    for (const f of families) expect(assemblyFiles, f).toContain(`assembly/${f}.ts`);
  });

  it("each js reference names its assembly twin in its header, and the assembly file names it back", () => {
    for (const f of families) {
      expect(header(`src/backend/js/${f}Kernels.ts`), f).toContain(`assembly/${f}.ts`);
      expect(header(`assembly/${f}.ts`), f).toContain(`src/backend/js/${f}Kernels.ts`);
    }
  });

  it("every assembly file's header names its TypeScript counterpart", () => {
    for (const file of assemblyFiles) expect(header(file), file).toMatch(/src\/backend\/[\w/.]+\.ts/);
  });

  it("every path these headers name exists", () => {
    const missing = twinFiles.flatMap((file) =>
      [...header(file).matchAll(/\b(?:src|assembly|test|bench)\/[\w/.-]*\w\.(?:ts|c)\b/g)]
        .map((m) => m[0])
        .filter((p) => !existsSync(new URL(p, root)))
        .map((p) => `${file}: ${p}`),
    );
    expect(missing).toEqual([]);
  });
});
