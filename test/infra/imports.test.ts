// The import graph of src/: no runtime import cycle (a module that imports,
// through others, a module that imports it, sees half-initialised bindings
// depending on which one is loaded first), and no experiment folder that
// imports another's (what two experiments share lives below them:
// src/analysis/, src/models/, src/learning/, ...). Type-only imports carry no
// value at run time and do not count as cycles; the folder rule counts them too.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SRC = join(ROOT, "src");

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [join(dir, e.name)] : [],
  );
}

/** The src/ file a relative specifier of `from` names (".js" written for ".ts"), or null (a package, a generated file). */
function target(from: string, spec: string): string | null {
  if (!spec.startsWith(".")) return null;
  const p = resolve(dirname(from), spec).replace(/\.js$/, ".ts");
  return files.has(p) ? p : null;
}

/** Every module specifier a file names in an import or export declaration, type-only ones included. */
function allImports(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const out: string[] = [];
  for (const st of sf.statements)
    if ((ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier))
      out.push(st.moduleSpecifier.text);
  return out;
}

/**
 * The specifiers a file still imports once compiled: TypeScript drops `import type`, imports used only
 * as types and `export type`; what is left loads at run time (dynamic import() included).
 */
function runtimeImports(file: string, text: string): string[] {
  const js = ts.transpileModule(text, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  }).outputText;
  const sf = ts.createSourceFile(file + ".js", js, ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS);
  const out: string[] = [];
  const visit = (n: ts.Node) => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier))
      out.push(n.moduleSpecifier.text);
    else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && ts.isStringLiteral(n.arguments[0]))
      out.push(n.arguments[0].text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

const files = new Set(tsFiles(SRC));
const texts = new Map([...files].map((f) => [f, readFileSync(f, "utf8")]));
const rel = (f: string) => relative(ROOT, f);

/** Strongly connected components with more than one module (or a module importing itself): Tarjan. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>(),
    low = new Map<string, number>(),
    stack: string[] = [],
    on = new Set<string>(),
    out: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || graph.get(v)?.includes(v)) out.push(scc.map(rel).sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) strong(v);
  return out;
}

describe("the import graph of src/", () => {
  it("finds the modules and their imports (the walk itself works)", () => {
    expect(files.size).toBeGreaterThan(100);
    const session = join(SRC, "experiments/session.ts");
    expect(runtimeImports(session, texts.get(session)!).length).toBeGreaterThan(0);
    // a type-only import is no runtime edge
    expect(
      runtimeImports("x.ts", 'import type { A } from "./a.js";\nimport { b, type C } from "./b.js";\nexport const x: A | C = b;'),
    ).toEqual(["./b.js"]);
    expect(
      cycles(
        new Map([
          ["a", ["b"]],
          ["b", ["a"]],
          ["c", ["a"]],
        ]),
      ),
    ).toEqual([["a", "b"]].map((c) => c.map((f) => rel(f))));
  });

  it("has no import cycle that carries values at run time", () => {
    const graph = new Map<string, string[]>();
    for (const f of files)
      graph.set(
        f,
        runtimeImports(f, texts.get(f)!)
          .map((s) => target(f, s))
          .filter((t): t is string => t !== null),
      );
    expect(cycles(graph)).toEqual([]);
  });

  it("no experiment folder imports another experiment's folder", () => {
    const EXP = join(SRC, "experiments");
    const folderOf = (f: string) => {
      const r = relative(EXP, f).split("/");
      return r.length > 1 && !r[0].startsWith("..") ? r[0] : null;
    };
    const crossings: string[] = [];
    for (const f of files) {
      const a = folderOf(f);
      if (!a) continue;
      for (const s of allImports(f, texts.get(f)!)) {
        const t = target(f, s),
          b = t && folderOf(t);
        if (b && b !== a) crossings.push(`${rel(f)} -> ${rel(t)}`);
      }
    }
    expect(crossings).toEqual([]);
  });
});
