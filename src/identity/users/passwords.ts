import { hash, verify } from "@node-rs/argon2";

// argon2id with OWASP's recommended floor (19 MiB, 2 passes); NFKC so the same password typed
// on another keyboard or IME still matches.
const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;

export const hashPassword = (password: string): Promise<string> => hash(password.normalize("NFKC"), OPTIONS);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password.normalize("NFKC"));
  } catch {
    return false;
  }
}
