// The HTTP application: middleware in order, then every /v1 route group and the web UI's pages,
// then the one error handler. Read this file to find where a request goes. Each route declares
// who may call it as its first handler (`access.*()`, middleware/route-access.ts), checked after
// routing.
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { requestId } from "./middleware/request-id";
import { requestLog } from "./middleware/request-log";
import { authenticate } from "./middleware/auth";
import { rateLimit } from "./middleware/rate-limit";
import { privateMode } from "./middleware/private-mode";
import { assertEveryRouteDeclared } from "./middleware/route-access";
import { handleError, notFound } from "./error-handler";
import { KeptRoutes } from "./kept-routes";
import { healthRoutes } from "./routes/health";
import { packageRoutes } from "./routes/packages";
import { contentRoutes } from "./routes/contents";
import { jobRoutes } from "./routes/jobs";
import { lifecycleRoutes } from "./routes/lifecycle";
import { ownershipRoutes } from "./routes/ownership";
import { accountRoutes } from "./routes/accounts";
import { logRoutes } from "./routes/log";
import { searchRoutes } from "./routes/search";
import { advisoryRoutes } from "./routes/advisories";
import { osvRoutes } from "./routes/osv";
import { monitoringRoutes } from "./routes/monitoring";
import { isApiPath, webPages } from "../web/middleware";
import { inOrder } from "./in-order";
import { webRoutes } from "../web/routes";

export function createApp() {
  const app = new Hono<AppEnv>({ router: new KeptRoutes() });
  // Two layers, each of several run in one (in-order.ts): the request id and its log line
  // around everything; then, for the API (/v1), who is calling, what it costs and whether shared
  // caches may keep the answer — a refusal by one of these needs nothing of the others' — and
  // for the web UI (src/web/), every path outside /v1, its own identity, limits and error pages.
  const api = inOrder(authenticate, rateLimit, privateMode);
  app.use("*", inOrder(requestId, requestLog));
  app.use("*", (c, next) => (isApiPath(c.req.path) ? api(c, next) : webPages(c, next)));

  app.route("/", healthRoutes);
  app.route("/", monitoringRoutes);
  app.route("/", packageRoutes);
  app.route("/", contentRoutes);
  app.route("/", lifecycleRoutes);
  app.route("/", ownershipRoutes);
  app.route("/", accountRoutes);
  app.route("/", logRoutes);
  app.route("/", searchRoutes);
  app.route("/", advisoryRoutes);
  app.route("/", osvRoutes);
  app.route("/", jobRoutes);
  app.route("/", webRoutes);

  // Who may call each route is declared with it (route-access.ts): refuse to build without.
  assertEveryRouteDeclared(app);
  app.notFound(notFound);
  app.onError(handleError);
  return app;
}
