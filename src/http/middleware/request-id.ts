// Gives every request an id (X-Request-Id), echoed on the response and used in logs.
import type { Layer } from "../in-order";
import type { AppEnv } from "../../env";
import { addResponseHeaders } from "../response-headers";

const SAFE_ID = /^[A-Za-z0-9._-]{8,64}$/;

export const requestId: Layer<AppEnv> = async (c, next) => {
  // Accept a caller's id only if it is harmless to log; otherwise mint one.
  const given = c.req.header("x-request-id");
  const id = given && SAFE_ID.test(given) ? given : crypto.randomUUID();
  c.set("requestId", id);
  await next();
  addResponseHeaders(c, { "X-Request-Id": id });
};
