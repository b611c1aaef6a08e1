import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
    // Two cores: more workers only add contention between SQLite files and PostgreSQL.
    maxWorkers: 2,
    // Browser steps wait for the page with expect.poll; on a loaded 2-core machine 1 s is too short.
    expect: { poll: { timeout: 10_000 } },
  },
});
