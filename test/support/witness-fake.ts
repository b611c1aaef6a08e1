/**
 * A C2SP tlog-witness on loopback for tests: `POST /add-checkpoint` checks the log's signature,
 * the old size against what it last cosigned (409 with its size otherwise), and the consistency
 * proof (422), then answers a tlog-cosignature/v1 line and remembers the new size and root.
 */
import { generateKeyPairSync, sign } from "node:crypto";
import { createServer, type Server } from "node:http";
import { cosignedMessage, cosignerKeyId, cosignerVerifierKey } from "../../src/platform/audit/merkle/cosignature.js";
import { parseCheckpoint } from "../../src/platform/audit/merkle/checkpoint.js";
import { openNote } from "../../src/platform/audit/merkle/note.js";
import { verifyConsistency } from "../../src/platform/audit/merkle/tree.js";

export interface FakeWitness {
  url: string;
  vkey: string;
  /** What it holds for the log: the largest consistent tree it cosigned. */
  state: { size: number; root: Buffer | null };
  requests: { old: number; proofLines: number; status: number }[];
  close(): Promise<void>;
}

export async function startFakeWitness(logVkey: string, name = "witness.test/w1"): Promise<FakeWitness> {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  const state: FakeWitness["state"] = { size: 0, root: null };
  const requests: FakeWitness["requests"] = [];
  const server: Server = createServer((req, res) => {
    let text = "";
    req.on("data", (d) => (text += d));
    req.on("end", () => {
      const answer = (status: number, body = "", type = "text/plain") => {
        requests.push({ old: Number(/^old (\d+)\n/.exec(text)?.[1] ?? -1), proofLines: Math.max(0, text.split("\n\n")[0]!.split("\n").length - 1), status });
        res.writeHead(status, { "content-type": type }).end(body);
      };
      if (req.method !== "POST" || req.url !== "/add-checkpoint") return answer(404);
      const split = text.indexOf("\n\n");
      const head = text.slice(0, split).split("\n");
      const note = text.slice(split + 2);
      const old = Number(/^old (0|[1-9]\d*)$/.exec(head[0] ?? "")?.[1] ?? Number.NaN);
      if (!Number.isSafeInteger(old)) return answer(400);
      let body: string;
      try {
        body = openNote(note, logVkey).body;
      } catch {
        return answer(403);
      }
      const checkpoint = parseCheckpoint(body);
      if (old > checkpoint.size) return answer(400);
      if (old !== state.size) return answer(409, `${state.size}\n`, "text/x.tlog.size");
      const proof = head.slice(1).map((p) => Buffer.from(p, "base64"));
      if (old === checkpoint.size) {
        if (!state.root?.equals(checkpoint.root)) return answer(409, `${state.size}\n`, "text/x.tlog.size");
      } else if (old > 0 && !verifyConsistency(old, checkpoint.size, state.root!, checkpoint.root, proof)) return answer(422);
      state.size = checkpoint.size;
      state.root = checkpoint.root;
      const time = Math.floor(Date.now() / 1000);
      const stamp = Buffer.alloc(8);
      stamp.writeBigUInt64BE(BigInt(time));
      const signature = sign(null, cosignedMessage(body, time), privateKey);
      answer(200, `— ${name} ${Buffer.concat([cosignerKeyId(name, raw), stamp, signature]).toString("base64")}\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    vkey: cosignerVerifierKey(name, raw),
    state,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
