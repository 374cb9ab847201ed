import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

/**
 * Passwords are hashed with argon2id (memory-hard; the library's defaults: 19 MiB, 2 passes,
 * OWASP's recommendation). The hash string carries its parameters, so they can be raised later.
 */
export const hashPassword = (password: string): Promise<string> => hash(password);

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

/** A hash of a password nobody has, to spend the same time when the account does not exist. */
let decoy: Promise<string> | undefined;
export const decoyHash = (): Promise<string> => {
  decoy ??= hashPassword(randomBytes(16).toString("hex"));
  return decoy;
};

/** A new random secret for sessions, CSRF and API tokens (256 bits, URL-safe). */
export const newSecret = (prefix = ""): string => `${prefix}${randomBytes(32).toString("base64url")}`;

/** Session ids and API tokens are stored only as their SHA-256: a stolen table opens nothing. */
export const digest = (secret: string): string => createHash("sha256").update(secret).digest("hex");

/** Compares two strings in constant time (CSRF tokens). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
