import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/custodia.mjs", import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `custodia serve` as a separate process and waits until /healthz answers. */
export async function startServer(env: Record<string, string>): Promise<{ url: string; process: ChildProcess; output: () => string; stop(): Promise<void> }> {
  const port = await freePort();
  let output = "";
  const child = spawn(process.execPath, [BIN, "serve", "--port", String(port)], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  // Up to a minute: several servers starting at once on two loaded cores take a while.
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    const ok = await fetch(`${url}/api/v1/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i === 600) {
      child.kill("SIGKILL");
      throw new Error(`server did not answer within a minute: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
