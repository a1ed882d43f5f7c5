import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // `npm test` runs everything; `npm run test:fast` skips the tests tagged slow
    tags: [{ name: "slow", description: "long statistical runs and multi-process CLI checks (over about 1.5 s each)" }],
  },
});
