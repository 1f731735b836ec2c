// scrypt from node:crypto: memory-hard, no native dependency. The stored form carries
// its parameters so they can be raised later without invalidating old hashes.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password.normalize("NFKC"), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

const N = 16384, r = 8, p = 1, KEYLEN = 64;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r, p });
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  // With no stored hash we still spend the same work, so timing does not reveal
  // whether an account exists.
  const parts = (stored ?? "").split("$");
  const valid = parts.length === 6 && parts[0] === "scrypt";
  const [n, rr, pp] = valid ? parts.slice(1, 4).map(Number) : [N, r, p];
  const salt = valid ? Buffer.from(parts[4], "base64") : randomBytes(16);
  const expected = valid ? Buffer.from(parts[5], "base64") : randomBytes(KEYLEN);
  const actual = await scrypt(password, salt, expected.length, { N: n, r: rr, p: pp });
  return timingSafeEqual(actual, expected) && valid;
}
