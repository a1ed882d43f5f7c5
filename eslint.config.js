// ESLint (flat config) with typescript-eslint's type-aware rules over src, test, bench, web, scripts and
// examples: `npm run lint`. The types come from tsconfig.check.json (Node side, `npm run typecheck`) and
// web/tsconfig.json (the page). Formatting is prettier's (`npm run format`); the one layout rule here is
// the line width for what prettier cannot break (comments, long strings).
import js from "@eslint/js";
import stylistic from "@stylistic/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "dist/",
      "build/",
      "web/dist/",
      "coverage/",
      "test-output/",
      "sweeps/",
      "spike-align-demo/",
      // AssemblyScript: its decorators and types (i32, f32, ...) are not TypeScript; asc checks these files
      "assembly/",
      // generated: scripts/embed-wasm.mjs writes it from build/release.wasm
      "src/backend/wasm/binary.generated.ts",
      // generated: scripts/gen-wasm-exports.mjs writes it from asc's declaration of the exports
      "src/backend/wasm/exports.generated.ts",
    ],
  },
  {
    files: ["**/*.ts", "**/*.mjs", "**/*.js"],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // the page's files have their own compiler options (browser libs, bundler resolution); the first project holding a file wins
        project: ["./web/tsconfig.json", "./tsconfig.check.json"],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    plugins: { "@stylistic": stylistic },
    rules: {
      // what prettier leaves too long: comments, strings and template literals (split them; keep messages byte-identical)
      "@stylistic/max-len": ["error", { code: 140, tabWidth: 2, ignoreUrls: true, ignoreRegExpLiterals: true }],
      // unused variables, parameters and imports; a leading underscore marks one kept on purpose
      // (a destructured field dropped from a rest object, a callback's unused argument)
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          args: "after-used",
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrors: "none",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // Tests read what the CLI wrote (JSON.parse gives `any`) and what a page or a worker holds, and check it with
    // expect(), which fails at run time on a wrong shape; typing every read would restate each schema in the test.
    // Explicit `any` stays an error there too.
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // Plain JavaScript (build scripts, this file). tsc's checkJs (tsconfig.check.json) reports unknown names, with
    // Node's globals known, which no-undef would have to be told one by one. A JSDoc cast (`/** @type {T} */ (x)`)
    // is a parenthesised expression that the syntax tree drops, so the no-unsafe rules would still see the `any`
    // of a JSON.parse the script has typed; checkJs's noImplicitAny holds the rest.
    files: ["**/*.mjs", "**/*.js"],
    rules: {
      "no-undef": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
);
