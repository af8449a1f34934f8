import { defineConfig } from "vitest/config";

// One run covers every workspace's tests; files that need MariaDB or the devnode start what they need
// through test/support (the test command starts MariaDB once and passes DATABASE_URL).
export default defineConfig({
  test: {
    include: ["{contracts,sdk,devnode,deploy,server}/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: "forks",
  },
});
