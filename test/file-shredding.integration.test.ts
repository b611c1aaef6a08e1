/**
 * Client files are crypto-shredded with the client (issue #11): a document's file key is wrapped by
 * the client's data key, so erasing the client (which destroys that key) leaves the stored
 * ciphertext with no key that opens it. Key rotation re-wraps data keys and leaves file keys alone.
 */
import { randomBytes } from "node:crypto";
import { PassThrough, Readable, type Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BlobStore } from "../src/platform/blobs/blob-store.js";
import { FileBlobStore } from "../src/platform/blobs/file-blob-store.js";
import { PostgresBlobStore } from "../src/platform/blobs/postgres-blob-store.js";
import type { Services } from "../src/platform/services.js";
import { eraseClient } from "../src/records/clients/client-eraser.js";
import { CONSOLE_OPERATOR } from "../src/identity/users/user-admin.js";
import { FileIntegrityError } from "../src/vault/file-cipher.js";
import { issueFileKey, openFileDecryptor, openFileEncryptor } from "../src/vault/file-keys.js";
import { rotateKeys } from "../src/vault/keys/key-rotator.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildClient, buildUser, contextFor, type TestUser } from "./support/factories.js";

const MARKER = "王小明 身份证 110105198506120011 劳动合同";

async function collect(source: Readable, through: Transform): Promise<Buffer> {
  const parts: Buffer[] = [];
  await pipeline(
    source,
    through,
    new Writable({
      write(chunk: Buffer, _e, done) {
        parts.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(parts);
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: client files are shredded with the client`, () => {
    let db: TestDatabase;
    let services: Services;
    let store: BlobStore;
    let partner: TestUser;
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      // Each engine with the store it would use: the data directory, or chunks in the shared database.
      store = dialect === "postgres" ? new PostgresBlobStore(services.engine.db) : new FileBlobStore(db.config.dataDir);
      partner = await buildUser(services, "partner");
    });
    afterAll(async () => {
      await services?.close();
      await db?.cleanup();
    });

    const decryptorFor = (clientId: string, wrapped: Buffer, binding: { documentId: string; version: number }) =>
      services.engine.db.transaction().execute((tx) => openFileDecryptor(services.keyRing, tx, clientId, wrapped, binding));

    it("opens a stored file through key rotation; after erasure no decryptor opens and no other data key unwraps its key", async () => {
      const client = await buildClient(services, partner.actor);
      const binding = { documentId: `doc-${client.id}`, version: 1 };
      const plain = Buffer.concat([Buffer.from(MARKER, "utf8"), randomBytes(300_000)]);
      const { wrapped, encryptor } = await services.engine.db.transaction().execute(async (tx) => {
        const wrapped = (await issueFileKey(services.keyRing, tx, client.id, binding.documentId))!;
        return { wrapped, encryptor: (await openFileEncryptor(services.keyRing, tx, client.id, wrapped, binding))! };
      });
      const key = `clients/${client.id}/documents/${binding.documentId}/v1`;
      await store.put(key, Readable.from([plain]).pipe(encryptor));
      const ciphertext = await collect(store.get(key), new PassThrough());
      expect(ciphertext.includes(Buffer.from(MARKER, "utf8"))).toBe(false);
      expect((await collect(store.get(key), (await decryptorFor(client.id, wrapped, binding))!)).equals(plain)).toBe(true);

      // Rotation re-wraps the client's data key under a new KEK; the file key, wrapped by the data key, still opens.
      const rotated = await rotateKeys(services, contextFor(CONSOLE_OPERATOR, null));
      expect(rotated.rewrapped).toBeGreaterThan(0);
      expect((await collect(store.get(key), (await decryptorFor(client.id, wrapped, binding))!)).equals(plain)).toBe(true);

      await eraseClient(services, contextFor(partner.actor, null), client.id, { reason: "client_request" });
      const event = await services.engine.db
        .selectFrom("audit_events")
        .selectAll()
        .where("action", "=", "client.erase")
        .where("target_id", "=", client.id)
        .executeTakeFirstOrThrow();
      expect(event).toMatchObject({ outcome: "success", actor_id: partner.actor.userId });
      expect(JSON.parse(event.details as string)).toMatchObject({ method: "crypto-shredding", reason: "client_request" });

      // The ciphertext is still stored, but the key that opened it is gone.
      expect(await store.exists(key)).toBe(true);
      expect(await decryptorFor(client.id, wrapped, binding)).toBeNull();
      const keyRow = await services.engine.db.selectFrom("data_keys").select("wrapped_key").where("client_id", "=", client.id).executeTakeFirstOrThrow();
      expect(keyRow.wrapped_key).toBeNull();
      // No other client's data key unwraps it either: the typed error, raised before any byte flows.
      const other = await buildClient(services, partner.actor);
      const otherKey = (await services.engine.db.transaction().execute((tx) => services.keyRing.openDataKey(tx, other.id)))!;
      const refusal = (() => {
        try {
          services.vault.fileDecryptor(otherKey, wrapped, binding);
          return null;
        } catch (error) {
          return error;
        }
      })();
      expect(refusal).toBeInstanceOf(FileIntegrityError);
      expect(refusal).toMatchObject({ code: "file_integrity", reason: "key" });
    });

    it("issues no file key, and opens no encryptor, for a client already erased", async () => {
      const client = await buildClient(services, partner.actor);
      const binding = { documentId: `doc-${client.id}`, version: 1 };
      const wrapped = await services.engine.db.transaction().execute((tx) => issueFileKey(services.keyRing, tx, client.id, binding.documentId));
      await eraseClient(services, contextFor(partner.actor, null), client.id, { reason: "consent_withdrawn" });
      await services.engine.db.transaction().execute(async (tx) => {
        expect(await issueFileKey(services.keyRing, tx, client.id, binding.documentId)).toBeNull();
        expect(await openFileEncryptor(services.keyRing, tx, client.id, wrapped!, binding)).toBeNull();
      });
    });
  });
}
