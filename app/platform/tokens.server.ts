// Secrets we hand out (session ids, invitation links, API tokens) are random and
// stored only as SHA-256 hashes: a leaked database does not leak working secrets.
import { createHash, randomBytes } from "node:crypto";

export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
