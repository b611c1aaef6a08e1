import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for the HashiCorp Vault / OpenBao transit secrets engine (no Vault binary is
 * available here), speaking the documented request and response shapes: `X-Vault-Token`,
 * keys/<name> (read, create, rotate, config min_decryption_version), encrypt, decrypt and rewrap,
 * aes256-gcm96 ciphertexts `vault:v<version>:base64(nonce ‖ ciphertext ‖ tag)`, answers in `data`,
 * errors as `{"errors": [...]}` with 400, 403 or 404.
 */
export interface TransitFake {
  readonly addr: string;
  readonly token: string;
  /** Every request's method and path, in order (no bodies). */
  readonly requests: string[];
  latestVersion(key: string): number;
  /** As `vault write transit/keys/<key>/config min_decryption_version=<n>`: older versions stop decrypting. */
  setMinDecryptionVersion(key: string, version: number): void;
  close(): Promise<void>;
}

interface FakeKey {
  versions: Buffer[];
  minDecryption: number;
}

export async function startTransitFake(mount = "transit"): Promise<TransitFake> {
  const token = `hvs.${randomBytes(12).toString("hex")}`;
  const keys = new Map<string, FakeKey>();
  const requests: string[] = [];

  const encrypt = (key: FakeKey, plaintext: Buffer) => {
    const version = key.versions.length;
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key.versions[version - 1]!, nonce);
    const body = Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return { ciphertext: `vault:v${version}:${body.toString("base64")}`, key_version: version };
  };
  const decrypt = (key: FakeKey, ciphertext: string): Buffer | string => {
    const match = /^vault:v(\d+):([A-Za-z0-9+/=]+)$/.exec(ciphertext);
    if (!match) return "invalid ciphertext: no prefix";
    const version = Number(match[1]);
    if (version < key.minDecryption) return "ciphertext or signature version is disallowed by policy (too old)";
    const material = key.versions[version - 1];
    if (!material) return "invalid ciphertext: unknown key version";
    const raw = Buffer.from(match[2]!, "base64");
    try {
      const decipher = createDecipheriv("aes-256-gcm", material, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
    } catch {
      return "cipher: message authentication failed";
    }
  };
  const create = (name: string) => {
    const key = { versions: [randomBytes(32)], minDecryption: 1 };
    keys.set(name, key);
    return key;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(body === null ? "" : JSON.stringify(body));
    };
    const url = new URL(req.url ?? "/", "http://fake");
    requests.push(`${req.method} ${url.pathname}`);
    if (req.headers["x-vault-token"] !== token) return answer(403, { errors: ["permission denied"] });
    const prefix = `/v1/${mount}/`;
    if (!url.pathname.startsWith(prefix)) return answer(404, { errors: [] });
    const [op, name, sub] = url.pathname.slice(prefix.length).split("/");
    if (!op || !name) return answer(404, { errors: [] });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
    let key = keys.get(name);

    if (op === "keys") {
      if (req.method === "GET") {
        if (!key) return answer(404, { errors: [] });
        const versions = Object.fromEntries(key.versions.map((_, i) => [String(i + 1), 1_700_000_000 + i]));
        return answer(200, {
          data: { name, type: "aes256-gcm96", latest_version: key.versions.length, min_decryption_version: key.minDecryption, keys: versions },
        });
      }
      if (sub === "rotate") {
        if (!key) return answer(400, { errors: ["key not found"] });
        key.versions.push(randomBytes(32));
        return answer(200, { data: { name, latest_version: key.versions.length } });
      }
      if (sub === "config") {
        if (!key) return answer(400, { errors: ["key not found"] });
        key.minDecryption = Number(body.min_decryption_version ?? key.minDecryption);
        return answer(200, { data: { name, min_decryption_version: key.minDecryption } });
      }
      if (!key) create(name);
      return answer(204, null);
    }
    if (op === "encrypt") {
      if (typeof body.plaintext !== "string") return answer(400, { errors: ["missing plaintext to encrypt"] });
      key ??= create(name); // the engine creates a key on first encrypt (upsert)
      return answer(200, { data: encrypt(key, Buffer.from(body.plaintext, "base64")) });
    }
    if (op === "decrypt" || op === "rewrap") {
      if (!key) return answer(400, { errors: ["encryption key not found"] });
      const plaintext = decrypt(key, String(body.ciphertext ?? ""));
      if (typeof plaintext === "string") return answer(400, { errors: [plaintext] });
      return answer(200, { data: op === "decrypt" ? { plaintext: plaintext.toString("base64") } : encrypt(key, plaintext) });
    }
    return answer(404, { errors: [] });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    addr: `http://127.0.0.1:${port}`,
    token,
    requests,
    latestVersion: (name) => keys.get(name)?.versions.length ?? 0,
    setMinDecryptionVersion(name, version) {
      const key = keys.get(name);
      if (key) key.minDecryption = version;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
