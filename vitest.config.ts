import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          include: [
            "packages/*/src/**/*.test.ts",
            "worker/src/**/*.test.ts",
            "infra/src/**/*.test.ts",
            "web/{app,components,lib}/**/*.test.{ts,tsx}",
          ],
          exclude: ["**/node_modules/**", "web/.next/**"],
        },
      },
      {
        test: {
          name: "integration",
          sequence: { groupOrder: 1 },
          include: [
            "test/**/*.test.ts",
            "packages/*/test/**/*.test.ts",
            "worker/test/**/*.test.ts",
            "web/test/**/*.test.ts",
          ],
          testTimeout: 30_000,
          hookTimeout: 120_000,
          // Each file starts its own real processes; two at a time keeps a 2-core machine responsive.
          maxWorkers: 2,
        },
      },
    ],
  },
});
