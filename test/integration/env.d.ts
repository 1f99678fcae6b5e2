// Types the bindings for tests: the Worker's Env plus the test-only verifier key.
type OriWorkerEnv = import("../../src/env").Env;
declare namespace Cloudflare {
  interface Env extends OriWorkerEnv {
    TEST_LOG_VERIFIER_KEY: string;
    /** The processor's HTTP handler (vitest.config.ts), for the Processor contract over a binding. */
    PROCESSOR_SERVICE: Fetcher;
  }
}
