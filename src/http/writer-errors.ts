// Turns a PackageWriter's plain-data failure back into a typed RegistryError.
import { RegistryError } from "../domain/errors";
import type { WriterErrorCode } from "../objects/package-writer";

export function throwWriterError(result: { ok: false; code: WriterErrorCode; message: string }): never {
  throw new RegistryError(result.code, result.message);
}
