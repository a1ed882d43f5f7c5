// Finds the citations in a file of the repository and says which of them dangle: a cited path that does not exist, a
// markdown link whose file or heading anchor does not exist, a cited section or heading missing from the cited
// markdown file, or a section of a spec that is not part of the repository. Used by test/infra/citations.test.ts.
// (This header describes the forms without writing any of them out, so that the file does not cite anything itself.)
//
// What counts as a citation:
//   paths       a path under one of the top folders of TOP below (from the repository root; `<name>`, `*` and
//               `{a,b}` are placeholders), e.g. the path of this file;
//   .md names   any markdown file name, resolved against the citing file's folder, then the root: so also the team
//               files that a fresh clone lacks (the conventions and architecture notes, the specs);
//   links       markdown links `[text](target#anchor)`, relative to the page;
//   sections    after a cited .md name: "section 3", "sections 2-4", a paragraph sign with numbers, "#anchor", or a
//               quoted heading; the cited file must have it;
//   orphans     the word spec (or spec's) followed within a few words by "section N" or a paragraph sign and a
//               number: a section of an unnamed spec, which the repository cannot have.
// Not a citation of ours: a path or .md name right after another repository's name and a colon, `owner/name: `
// and then the path (the authors' code, e.g.), or written on from it, `owner/name/` and the path; the owner must
// not be one of the top folders, so that a path of ours followed by a colon still has its next path checked.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

export interface Dangling {
  file: string;
  line: number;
  cited: string;
  why: string;
}

/** Built or generated files that a fresh clone has only after `npm run build` (or that a command writes). */
export const GENERATED = [
  "web/dist",
  "src/backend/wasm/binary.generated.ts",
  "src/backend/wasm/exports.generated.ts",
  "assembly/layout.generated.ts",
  "bench/native/matvec",
];
/** Output files that commands write (cited as what a run produces, not as repository files). */
export const OUTPUT_MD = new Set(["report.md", "summary.md"]);

const TOP = ["src", "assembly", "test", "bench", "web", "scripts", "docs", "examples", ".ci"];
const PATH_RE = new RegExp(`(?<![\\w./\\\\-])(?:\\./)?((?:${TOP.map((t) => t.replace(".", "\\.")).join("|")})/[\\w.<>{}*,/-]*)`, "g");
const MD_RE = /(?<![\w/.\\-])((?:\.\.\/|\.\/)*(?:[\w-]+\/)*[\w-]+\.md)(#[\w-]+)?/g;
const LINK_RE = /\[[^\]]*\]\(([^)\s]+)\)/g;
const SECTION_AFTER_RE = /^,?\s+(?:(?:section|sections|§)\s*(\d+[a-z]?(?:\s*(?:-|,|and)\s*\d+[a-z]?)*)|(?:row\s+)?"([^"\n;(){}]{1,60})")/;
const ORPHAN_RE = /\bspec(?:'s)?\b(?![/\w])[^.;\n]{0,40}?(?:\bsections?|§)\s*\d+[a-z]?/g;
/** Another repository's name and a colon right before a path: `owner/name: `. */
const FOREIGN_RE = /(?<![\w./-])([A-Za-z0-9][\w.-]*)\/[\w.-]+:\s*$/;

/** Is the citation at `i` a path of another repository (`owner/name: path`)? */
function foreign(text: string, i: number): boolean {
  const m = FOREIGN_RE.exec(text.slice(Math.max(0, i - 120), i));
  return m !== null && !TOP.includes(m[1]);
}

/** The text of a file with comment continuations joined into one line, and the original line of every character. */
function joined(text: string): { text: string; lineAt: (i: number) => number } {
  const out: string[] = [];
  const lines: number[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      // a newline and the next line's indentation and comment leader become one space
      let j = i + 1;
      while (j < text.length && (text[j] === " " || text[j] === "\t")) j++;
      if (text.startsWith("//", j)) j += 2;
      else if (text[j] === "*" && text[j + 1] !== "/") j += 1;
      else if (text[j] === "#" && text[j + 1] === " ") j += 1;
      while (j < text.length && (text[j] === " " || text[j] === "\t")) j++;
      out.push(" ");
      lines.push(line);
      i = j - 1;
      continue;
    }
    out.push(text[i]);
    lines.push(line);
  }
  return { text: out.join(""), lineAt: (i) => lines[Math.min(i, lines.length - 1)] ?? line };
}

/** GitHub's anchor of a heading. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]+>/g, "")
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

/** The headings of a markdown text (outside fenced blocks). */
export function headings(md: string): string[] {
  const out: string[] = [];
  let fence = false;
  for (const l of md.split("\n")) {
    if (l.startsWith("```")) fence = !fence;
    else if (!fence) {
      const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(l);
      if (m) out.push(m[1]);
    }
  }
  return out;
}

/** The anchors GitHub gives the headings of a markdown text (repeated headings get -1, -2, ...). */
export function anchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const h of headings(md)) {
    const s = slug(h);
    const n = seen.get(s) ?? 0;
    out.add(n ? `${s}-${n}` : s);
    seen.set(s, n + 1);
  }
  return out;
}

/** Does `rel` (from the root) exist, or is it a built/generated file, or matches a placeholder pattern? */
export function pathExists(root: string, rel: string): boolean {
  const clean = rel.replace(/[.,:;]+$/, "");
  if (GENERATED.some((g) => clean === g || clean.startsWith(`${g}/`))) return true;
  const brace = /\{([^{}]*)\}/.exec(clean);
  if (brace) return brace[1].split(",").every((alt) => pathExists(root, clean.replace(brace[0], alt)));
  const wild = clean.search(/[<*]/);
  if (wild >= 0) {
    // a placeholder: the folder before it must exist
    const dir = clean.slice(0, clean.lastIndexOf("/", wild) + 1);
    return dir === "" || existsSync(join(root, dir));
  }
  return existsSync(join(root, clean));
}

function isFile(p: string): boolean {
  return existsSync(p) && statSync(p).isFile();
}

/** Resolves a cited .md name: relative to the citing file, then from the root. */
function resolveMd(root: string, fromFile: string, cited: string): string | null {
  for (const base of [dirname(join(root, fromFile)), root]) {
    const p = normalize(join(base, cited));
    if (isFile(p)) return p;
  }
  return null;
}

/** Checks a section / heading citation against a markdown file; returns why it dangles, or null. */
function checkSection(md: string, section: string | undefined, heading: string | undefined): string | null {
  const hs = headings(md);
  if (section) {
    for (const n of section.split(/\s*(?:-|,|and)\s*/)) {
      if (!hs.some((h) => new RegExp(`^(?:§\\s*)?${n}(?:[.:)\\s]|$)`).test(h))) return `no section ${n}`;
    }
  }
  if (heading && !hs.some((h) => h.toLowerCase().includes(heading.toLowerCase()))) return `no heading "${heading}"`;
  return null;
}

/** The dangling citations of one file (`rel` from the root). */
export function danglingIn(root: string, rel: string, content = readFileSync(join(root, rel), "utf8")): Dangling[] {
  const out: Dangling[] = [];
  const { text, lineAt } = joined(content);
  const add = (i: number, cited: string, why: string) => out.push({ file: rel, line: lineAt(i), cited, why });
  const isMd = rel.endsWith(".md");

  // markdown links (checked first; their targets are not checked again as bare names)
  const linkSpans: [number, number][] = [];
  if (isMd) {
    for (const m of text.matchAll(LINK_RE)) {
      const target = m[1];
      linkSpans.push([m.index, m.index + m[0].length]);
      if (/^[a-z]+:/i.test(target)) continue;
      const [file, anchor] = target.split("#");
      if (!file) {
        if (anchor && !anchors(content).has(anchor)) add(m.index, target, "no heading with that anchor on this page");
        continue;
      }
      const p = normalize(join(dirname(join(root, rel)), file));
      if (!existsSync(p)) {
        add(m.index, target, "the linked file does not exist");
        continue;
      }
      if (anchor && p.endsWith(".md") && !anchors(readFileSync(p, "utf8")).has(anchor))
        add(m.index, target, `no heading with the anchor #${anchor} in ${relative(root, p)}`);
    }
  }
  const inLink = (i: number) => linkSpans.some(([a, b]) => i >= a && i < b);

  // repository paths
  for (const m of text.matchAll(PATH_RE)) {
    if (inLink(m.index) || foreign(text, m.index)) continue;
    const p = m[1].replace(/[.,:;)`'"]+$/, "");
    if (p.endsWith(".md")) continue; // checked as an .md citation below
    // from the root, or from the citing file's folder (a web page's script beside it)
    if (!pathExists(root, p) && !pathExists(join(root, dirname(rel)), p)) add(m.index, p, "no such file or folder in the repository");
  }

  // .md citations, with the section or heading that may follow
  for (const m of text.matchAll(MD_RE)) {
    if (inLink(m.index) || foreign(text, m.index)) continue;
    const cited = m[1],
      anchor = m[2]?.slice(1);
    const base = cited.split("/").pop()!;
    if (OUTPUT_MD.has(base)) continue;
    const p = resolveMd(root, rel, cited);
    if (!p) {
      add(m.index, cited, "no such markdown file in the repository");
      continue;
    }
    const md = readFileSync(p, "utf8");
    if (anchor && !anchors(md).has(anchor)) add(m.index, `${cited}#${anchor}`, `no heading with that anchor in ${relative(root, p)}`);
    const after = SECTION_AFTER_RE.exec(text.slice(m.index + m[0].length, m.index + m[0].length + 80));
    if (after) {
      const why = checkSection(md, after[1], after[2]);
      if (why) add(m.index, `${cited} ${after[0].trim()}`, `${why} in ${relative(root, p)}`);
    }
  }

  // sections of an unnamed spec
  for (const m of text.matchAll(ORPHAN_RE)) add(m.index, m[0], "a section of a spec that is not in the repository");
  return out;
}

/** Every file of the walked folders that can hold a citation. */
export function citingFiles(root: string): string[] {
  const exts = /\.(ts|mts|mjs|js|html|md|c|py|css|ya?ml)$/;
  const skip = new Set(["node_modules", "dist", "build", "test-output", ".git"]);
  const walk = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
      const rel = join(dir, e.name);
      if (e.isDirectory()) return skip.has(e.name) ? [] : walk(rel);
      if (!exts.test(e.name) || GENERATED.includes(rel)) return [];
      return [rel];
    });
  const dirs = ["src", "assembly", "test", "bench", "web", "scripts", "examples", "docs"].filter((d) => existsSync(join(root, d)));
  return [...dirs.flatMap(walk), "README.md"].sort();
}
