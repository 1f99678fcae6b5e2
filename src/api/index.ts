// The whole v1 API contract: every route group, and the flat list the Worker registers, the
// client calls and the OpenAPI document describes. A route exists only if it is listed here.
import type { RouteGroup, RouteSpec } from "./contract";
import { health } from "./health";
import { packages } from "./packages";
import { lifecycle } from "./lifecycle";
import { ownership } from "./ownership";
import { accounts } from "./accounts";
import { log } from "./log";
import { search } from "./search";
import { advisories } from "./advisories";
import { osv } from "./osv";
import { contents } from "./contents";
import { jobs } from "./jobs";
import { monitoring } from "./monitoring";

export const api = {
  health,
  monitoring,
  packages,
  contents,
  lifecycle,
  ownership,
  accounts,
  log,
  search,
  advisories,
  osv,
  jobs,
} satisfies Record<string, RouteGroup>;

/** Every route of the contract, in the document's order. */
export const ROUTES: readonly RouteSpec[] = Object.values(api).flatMap((group) => Object.values(group) as RouteSpec[]);
