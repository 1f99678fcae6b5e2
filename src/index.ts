// Worker entry: the HTTP app, the queue consumer, and the Durable Object classes.
import { createApp } from "./http/app";
import { consumeJobs } from "./jobs/consumer";
import type { Env } from "./env";
import type { JobMessage } from "./jobs/messages";

export { PackageWriter } from "./objects/package-writer";
export { LogSequencer } from "./objects/log-sequencer";
export { AccountDirectory } from "./objects/account-directory";
export { ScopeOwnership } from "./objects/scope-ownership";
export { RateLimitCounter } from "./objects/rate-limit-counter";
export { SearchIndex } from "./objects/search-index";
export { AdvisoryDatabase } from "./objects/advisory-database";
export { ProcessorContainer } from "./objects/processor-container";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: (batch, env) => consumeJobs(batch, env),
} satisfies ExportedHandler<Env, JobMessage>;
