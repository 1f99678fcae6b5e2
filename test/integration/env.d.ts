// Types the bindings for tests: the Worker's Env plus the test-only verifier key.
type OriWorkerEnv = import("../../src/env").Env;
declare namespace Cloudflare {
  interface Env extends OriWorkerEnv {
    TEST_LOG_VERIFIER_KEY: string;
  }
}
