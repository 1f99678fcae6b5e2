// Reads a request body into memory without ever holding more than a limit: the declared
// Content-Length is checked first, then the stream is counted as it arrives. Runtime-neutral (the
// Worker's routes and the processor handler, in workerd and in Node, read bodies with it).
import { RegistryError } from "../domain/errors";

export async function readLimited(req: Request, max: number, tooLarge: () => Error): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > max) throw tooLarge();
  if (!req.body) throw new RegistryError("bad_request", "the request has no body");
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (total === 0) throw new RegistryError("bad_request", "the request body is empty");
  const out = new Uint8Array(total);
  let at = 0;
  for (const ch of chunks) {
    out.set(ch, at);
    at += ch.byteLength;
  }
  return out;
}
