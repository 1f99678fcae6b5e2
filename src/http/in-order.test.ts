import { describe, expect, it } from "vitest";
import { Hono } from "hono";
import { inOrder, type Layer } from "./in-order";

function trace(log: string[], name: string): Layer<object> {
  return async (c, next) => {
    log.push(`${name} before`);
    await next();
    log.push(`${name} after ${c.res.status}`);
  };
}

describe("inOrder", () => {
  it("runs the layers as Hono runs them one by one: in order, each around the next", async () => {
    for (const grouped of [true, false]) {
      const log: string[] = [];
      const a = new Hono();
      const layers = [trace(log, "a"), trace(log, "b"), trace(log, "c")] as const;
      if (grouped) a.use("*", inOrder(...layers));
      else for (const layer of layers) a.use("*", layer);
      a.get("/x", (c) => {
        log.push("route");
        return c.text("x", 201);
      });
      const res = await a.request("/x");
      expect(res.status).toBe(201);
      expect(log).toEqual(["a before", "b before", "c before", "route", "c after 201", "b after 201", "a after 201"]);
    }
  });

  it("a route's error is answered by the error handler before the layers' after-code runs", async () => {
    const log: string[] = [];
    const a = new Hono();
    a.use("*", inOrder(trace(log, "a"), trace(log, "b")));
    a.get("/x", () => {
      throw new Error("boom");
    });
    a.onError((_, c) => c.text("handled", 418));
    const res = await a.request("/x");
    expect(res.status).toBe(418);
    expect(log).toEqual(["a before", "b before", "b after 418", "a after 418"]);
  });

  it("a layer's error is answered where the group sits: the outer layers of the group skip their after-code", async () => {
    const log: string[] = [];
    const a = new Hono();
    a.use("*", trace(log, "outside"));
    a.use(
      "*",
      inOrder(trace(log, "a"), async () => {
        throw new Error("refused");
      }),
    );
    a.get("/x", (c) => c.text("x"));
    a.onError((_, c) => c.text("handled", 429));
    const res = await a.request("/x");
    expect(res.status).toBe(429);
    expect(log).toEqual(["outside before", "a before", "outside after 429"]);
  });
});
