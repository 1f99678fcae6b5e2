// Which Processor the pipeline's jobs use (PROCESSING_BACKEND, docs/processing.md): the inline
// adapter by default; with "container", the HTTP adapter over the Container binding (production)
// or the local container entry's URL (`npm start` with PROCESSING_BACKEND=container). A
// "container" setting with neither is a configuration fault: the jobs fail (and retry) and say so.
import type { Env } from "../env";
import { HttpProcessor } from "../processing/http-processor";
import { inlineProcessor, type Processor } from "../processing/processor";

/** Container instances the pipeline spreads its requests over. */
const INSTANCES = 3;

export function processorFor(env: Env): Processor {
  const backend = env.PROCESSING_BACKEND ?? "inline";
  if (backend === "inline") return inlineProcessor;
  if (backend !== "container")
    throw new Error(`PROCESSING_BACKEND is ${JSON.stringify(backend)}: use inline or container`);
  if (env.PROCESSOR_CONTAINER) {
    const binding = env.PROCESSOR_CONTAINER;
    return new HttpProcessor({
      // The Container's own fetch starts the container when it sleeps and proxies to its port.
      fetch: (request) => binding.getByName(`processor-${Math.floor(Math.random() * INSTANCES)}`).fetch(request),
    });
  }
  if (env.PROCESSOR_URL)
    return new HttpProcessor({ fetch: (request) => fetch(request) }, env.PROCESSOR_URL.replace(/\/$/, ""));
  throw new Error(
    "PROCESSING_BACKEND is container, but there is neither a PROCESSOR_CONTAINER binding nor a PROCESSOR_URL",
  );
}
