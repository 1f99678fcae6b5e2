// The Processor contract inside workerd: the Worker's HTTP adapter over a service binding to the
// processor's HTTP handler (vitest.config.ts binds PROCESSOR_SERVICE to it), the way the queue
// consumer reaches the container through the Container binding's stub in production.
import { env } from "cloudflare:test";
import { HttpProcessor } from "../../src/processing/http-processor";
import { processorContract } from "../helpers/processor-contract";

processorContract(
  "the HTTP adapter inside workerd, over a service binding",
  () => new HttpProcessor(env.PROCESSOR_SERVICE),
);
