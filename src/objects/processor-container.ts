// The package processor's container (container/Dockerfile: the bundled container entry on port
// 8080), bound as PROCESSOR_CONTAINER in production only. A Durable Object from
// @cloudflare/containers: a request to its stub starts the container if it sleeps and proxies
// to the port; it sleeps again after five idle minutes. It has no internet access (it needs
// none: archives and advisories come in the request) and keeps no state of its own.
import { Container } from "@cloudflare/containers";
import type { Env } from "../env";

export class ProcessorContainer extends Container<Env> {
  override defaultPort = 8080;
  override sleepAfter = "5m";
  override enableInternet = false;
  override pingEndpoint = "localhost/healthz";
}
