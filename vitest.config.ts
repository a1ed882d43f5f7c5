import { defineConfig } from "vitest/config";

// Test tiers (package.json): `npm test` runs everything; `npm run test:fast` leaves out what is slow or needs a
// service; `npm test -- --tags-filter='!redis && !slurm'` (any expression of these tags) runs what a machine has.
// A service test that finds its service missing is skipped with a note, except under CI=true, where it fails.
const TAGS = [
  { name: "slow", description: "long statistical runs and multi-process CLI checks (over about 1.5 s each)" },
  { name: "redis", description: "starts redis-server (apt-get install redis-server): the BullMQ sweep engine" },
  { name: "slurm", description: "starts munged, slurmctld and slurmd (apt-get install slurm-wlm munge): the Slurm sweep engine" },
  { name: "chromium", description: "drives Chromium (apt-get install chromium, or SPIKE_ALIGN_CHROMIUM): the web page end to end" },
  { name: "fmnist", description: "reads the real Fashion-MNIST (apt-get install dataset-fashion-mnist)" },
] as const;

declare module "vitest" {
  interface TestTags {
    tags: (typeof TAGS)[number]["name"];
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    tags: [...TAGS],
  },
});
