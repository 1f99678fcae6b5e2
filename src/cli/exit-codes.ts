// Exit codes, one per kind of failure, so scripts can tell "you typed it wrong" from "the
// registry said no" from "the registry lied" from "the registry is unreachable".
import { RegistryClientError, RegistryNetworkError, VerificationError } from "../client/errors";

export const EXIT = {
  ok: 0,
  /** A local failure: the project is invalid, a file cannot be read or written. */
  local: 1,
  usage: 2,
  /** The registry answered with an error (4xx/5xx). */
  refused: 3,
  /** Something the registry served did not verify. */
  verification: 4,
  network: 5,
  /** `audit` found advisories affecting the lock (as cargo audit and npm audit fail a build). */
  vulnerable: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Wrong arguments, unknown command or option, missing project input the user must give. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A local problem that is not about arguments: a bad oripk.toml, an unreadable file. */
export class LocalError extends Error {
  override readonly name = "LocalError";
}

export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof UsageError) return EXIT.usage;
  if (err instanceof RegistryClientError) return EXIT.refused;
  if (err instanceof VerificationError) return EXIT.verification;
  if (err instanceof RegistryNetworkError) return EXIT.network;
  return EXIT.local;
}

export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  local failure (invalid project, unreadable file, unexpected error)
  2  usage error (unknown command or option, missing or bad argument)
  3  the registry refused (an HTTP 4xx/5xx answer; the error code is printed)
  4  verification failed (checksum, log inclusion, signature or consistency; what did not match is printed)
  5  network error (the registry could not be reached)
  6  audit: an advisory affects an entry of the lock (a checksum mismatch is 4)`;
