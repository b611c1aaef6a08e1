/**
 * The two primitives the history check needs, behind a small async interface: Node supplies
 * node:crypto (history-verifier.ts), the browser WebCrypto (below). Async because WebCrypto is.
 */
export interface HistoryCrypto {
  sha256(bytes: Uint8Array): Promise<Uint8Array>;
  /** False for a bad signature or an unusable key; never throws. */
  verifyEd25519(publicKey32: Uint8Array, message: Uint8Array, signature64: Uint8Array): Promise<boolean>;
}

/** The slice of SubtleCrypto used here, typed structurally so Node's and the DOM's types both fit. */
export interface SubtleLike {
  digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer>;
  importKey(format: "raw", keyData: Uint8Array, algorithm: { name: string }, extractable: boolean, keyUsages: ["verify"]): Promise<unknown>;
  verify(algorithm: { name: string }, key: unknown, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
}

const globalSubtle = () => (globalThis as unknown as { crypto: { subtle: SubtleLike } }).crypto.subtle;

/** WebCrypto: browsers (Chromium, Firefox and Safari support Ed25519) and Node 20's globalThis.crypto.subtle. */
export function webCrypto(subtle: SubtleLike = globalSubtle()): HistoryCrypto {
  return {
    sha256: async (bytes) => new Uint8Array(await subtle.digest("SHA-256", bytes)),
    verifyEd25519: async (publicKey, message, signature) => {
      if (publicKey.length !== 32 || signature.length !== 64) return false;
      try {
        const key = await subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
        return await subtle.verify({ name: "Ed25519" }, key, signature, message);
      } catch {
        return false;
      }
    },
  };
}

// RFC 8032 §7.1 test 1's public key: any valid key answers whether the platform has Ed25519.
const PROBE_KEY = Uint8Array.from("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a".match(/../g)!, (h) => Number.parseInt(h, 16));

/** Whether WebCrypto here verifies Ed25519, so a missing algorithm is not reported as a bad signature. */
export async function ed25519Available(subtle: SubtleLike = globalSubtle()): Promise<boolean> {
  try {
    await subtle.importKey("raw", PROBE_KEY, { name: "Ed25519" }, false, ["verify"]);
    return true;
  } catch {
    return false;
  }
}
