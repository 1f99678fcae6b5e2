// `npm run container`: builds the container entry and runs it here, on $PORT (default 8080) and
// $HOST (default 127.0.0.1 here; the image listens on 0.0.0.0), as the image would run it.
import { pathToFileURL } from "node:url";
import { buildContainer } from "./build-container.mjs";

process.env.HOST ??= "127.0.0.1";
await import(pathToFileURL(await buildContainer()).href);
