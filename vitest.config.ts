// Three test projects: `unit` (pure modules, in Node), `integration` (the HTTP API inside
// workerd through the Cloudflare Vitest integration), and `e2e` (the real dev server driven by
// the CLI). `npm test` runs all three.
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
// @ts-expect-error plain .mjs helper shared with scripts/start.mjs
import { generateSignerKey } from "./scripts/keys.mjs";

export const TEST_LOG_ORIGIN = "registry.test/v1/log";
const testKey = generateSignerKey(TEST_LOG_ORIGIN) as { signer: string; verifier: string };

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: "unit", include: ["src/**/*.test.ts"], environment: "node" },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.jsonc" },
            miniflare: {
              bindings: {
                ADMIN_TOKEN: "ori_test_admin_token_0123456789abcdef",
                LOG_SIGNING_KEY: testKey.signer,
                TEST_LOG_VERIFIER_KEY: testKey.verifier,
              },
            },
          }),
        ],
        test: { name: "integration", include: ["test/integration/**/*.test.ts"], testTimeout: 60_000 },
      },
      {
        test: { name: "e2e", include: ["test/e2e/**/*.test.ts"], environment: "node", testTimeout: 120_000, hookTimeout: 120_000 },
      },
    ],
  },
});
