// The wasm seam is typed: src/backend/wasm/exports.generated.ts declares the
// raw exports of the binary (generated from asc's declaration file), it names
// exactly the functions the embedded binary exports with their argument
// counts, and an adapter call with a wrong argument count or type fails tsc.
import { readFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { fromBase64 } from "../../src/io/base64.js";
import { RELEASE_WASM_BASE64 } from "../../src/backend/wasm/binary.generated.js";
import { render, renderExports } from "../../scripts/gen-wasm-exports.mjs";

const GENERATED = new URL("../../src/backend/wasm/exports.generated.ts", import.meta.url);

/** Each member of the generated `WasmExports` type: a function's parameter count, or "memory". */
function declared(): Map<string, number | "memory"> {
  const src = ts.createSourceFile("exports.generated.ts", readFileSync(GENERATED, "utf8"), ts.ScriptTarget.ES2022, true);
  const alias = src.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === "WasmExports");
  if (!alias || !ts.isTypeLiteralNode(alias.type)) throw new Error("exports.generated.ts declares no WasmExports type literal");
  const out = new Map<string, number | "memory">();
  for (const m of alias.type.members) {
    const name = (m.name as ts.Identifier).text;
    if (ts.isMethodSignature(m)) out.set(name, m.parameters.length);
    else if (ts.isPropertySignature(m) && m.type?.getText(src) === "WebAssembly.Memory") out.set(name, "memory");
    else throw new Error(`exports.generated.ts: unexpected member ${name}`);
  }
  return out;
}

/** Each export of the embedded release binary: a function's parameter count, or "memory". */
async function exported(): Promise<Map<string, number | "memory">> {
  const module = await WebAssembly.compile(new Uint8Array(fromBase64(RELEASE_WASM_BASE64)));
  const { exports } = await WebAssembly.instantiate(module, {});
  const out = new Map<string, number | "memory">();
  for (const { name, kind } of WebAssembly.Module.exports(module)) {
    if (kind === "function") out.set(name, (exports[name] as (...a: number[]) => unknown).length);
    else if (kind === "memory") out.set(name, "memory");
    else throw new Error(`release.wasm exports a ${kind} (${name}) that the seam does not type`);
  }
  return out;
}

/** tsc's diagnostics for each body, each checked in its own module that has `ex: WasmExports` in scope (one program for all). */
function typecheck(...bodies: string[]): string[][] {
  const files = bodies.map((_, i) => new URL(`../../src/backend/wasm/__seam_probe${i}.ts`, import.meta.url).pathname);
  const text = (i: number) => `import type { WasmExports } from "./exports.generated.js";\ndeclare const ex: WasmExports;\n${bodies[i]}\n`;
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: [],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => {
    const i = files.indexOf(name);
    return i >= 0 ? ts.createSourceFile(name, text(i), lang) : read(name, lang, ...rest);
  };
  const program = ts.createProgram(files, options, host);
  return files.map((f) =>
    ts
      .getPreEmitDiagnostics(program, program.getSourceFile(f))
      .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`),
  );
}

describe("typed wasm seam", () => {
  it("exports.generated.ts is what scripts/gen-wasm-exports.mjs writes for build/release.d.ts", () => {
    expect(readFileSync(GENERATED, "utf8")).toBe(renderExports());
  });

  it("declares exactly the exports of the embedded binary, each with its argument count", async () => {
    const want = await exported();
    const have = declared();
    expect([...have.keys()].sort()).toEqual([...want.keys()].sort());
    expect(Object.fromEntries(have)).toEqual(Object.fromEntries(want));
    expect(have.get("gemm")).toBe(13);
    expect(have.get("memory")).toBe("memory");
  });

  it("an adapter call with a wrong argument count, type or name fails tsc", { tags: ["slow"] }, () => {
    const [right, count, type, name] = typecheck(
      "ex.thresholdArray(0, 0, 4, 2.0);",
      "ex.thresholdArray(0, 0, 4);",
      "ex.gemm(4, false, 4, 4, 4, 0, 4, 0, 4, 0, 4, 0, 0);",
      "ex.samplingRunn(0, 1);",
    );
    expect(right).toEqual([]);
    expect(count).toEqual(["TS2554: Expected 4 arguments, but got 3."]);
    expect(type).toEqual(["TS2345: Argument of type 'number' is not assignable to parameter of type 'boolean'."]);
    expect(name).toHaveLength(1);
    expect(name[0]).toMatch(/^TS2551: Property 'samplingRunn' does not exist on type 'WasmExports'/);
  });

  it("the generator refuses what it cannot type (an export that would need lifting)", () => {
    const dts = (line: string) => `declare namespace __AdaptedExports {\n  export const memory: WebAssembly.Memory;\n${line}\n}\n`;
    expect(render(dts("  export function f(a: number, b: boolean): number;"))).toContain("  f(a: number, b: boolean): number;");
    expect(() => render(dts("  export function f(s: string): void;"))).toThrow(/f has a parameter that is not a number: s: string/);
    expect(() => render(dts("  export const g: { valueOf(): number };"))).toThrow(/unexpected line/);
    expect(() => render("declare namespace Other {\n}\n")).toThrow(/no `declare namespace __AdaptedExports \{` block/);
  });
});
