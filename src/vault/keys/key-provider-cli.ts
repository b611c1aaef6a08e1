/** `custodia keys rotate-master | provider`: kept here so the CLI entry point only wires it in. */
import { randomUUID } from "node:crypto";
import { type Command, Option } from "commander";
import type { RequestContext } from "../../access/policy/actor.js";
import { CONSOLE_OPERATOR } from "../../identity/users/user-admin.js";
import { type Config, ConfigError, loadConfig, parseKeyProvider } from "../../platform/config.js";
import { prepareDataDir } from "../../platform/data-dir.js";
import { inspectDatabase, openEngine } from "../../platform/db/open.js";
import { openServices } from "../../platform/services.js";
import { keyProviderFor } from "../providers/index.js";
import { rotateMasterKey } from "./master-key-rotator.js";
import { reportFailure } from "../../cli/command-runner.js";

const dataDirOption = () => new Option("--data-dir <dir>", "data directory (env CUSTODIA_DATA_DIR)").default(undefined, "./data");
const operator = (): RequestContext => ({ actor: CONSOLE_OPERATOR, requestId: `cli-${randomUUID()}`, purpose: null });

export function addKeyProviderCommands(keys: Command): void {
  keys
    .command("rotate-master")
    .description("replace the master key (new key file, token object or transit key version) and re-wrap every KEK and the root secret, online")
    .addOption(
      new Option("--to <provider>", "move the master key to another provider, configured by its CUSTODIA_PKCS11_* or CUSTODIA_TRANSIT_* variables").choices([
        "file",
        "pkcs11",
        "transit",
      ]),
    )
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action(async (o) => {
      try {
        const config = loadConfig({ dataDir: o.dataDir });
        const keyProvider = await prepareDataDir(config, "existing");
        const services = await openServices(config, { keyProvider });
        try {
          const to = o.to ? keyProviderFor(targetConfig(config, o.to), { create: true }) : undefined;
          const r = await rotateMasterKey(services, operator(), to ? { to } : {});
          console.log(
            o.json
              ? JSON.stringify(r)
              : `Master key is now ${r.masterRef} (${r.provider}); ${r.keks} KEKs and the root secret re-wrapped.${r.keptOldKey ? ` The old key is kept at ${r.keptOldKey} for backups taken before now.` : ""}${o.to ? ` Now set CUSTODIA_KEY_PROVIDER=${o.to} for every server.` : ""}`,
          );
        } finally {
          await services.close();
        }
      } catch (error) {
        reportFailure(error, Boolean(o.json));
      }
    });

  keys
    .command("provider")
    .description("show where the master key lives and which key the database names (never a secret)")
    .option("--json", "machine-readable output")
    .addOption(dataDirOption())
    .action(async (o) => {
      try {
        const config = loadConfig({ dataDir: o.dataDir });
        const provider = keyProviderFor(config, { create: false });
        const stored = await storedMasterRef(config);
        const info = {
          provider: provider.kind ?? "file",
          where: provider.description,
          masterKey: stored?.master_ref ?? null,
          rotatedAt: stored?.rotated_at ?? null,
        };
        if (o.json) return console.log(JSON.stringify(info));
        console.log(`Provider: ${info.provider} (${info.where})`);
        console.log(
          info.masterKey
            ? `Master key named by the database: ${info.masterKey}${info.rotatedAt ? `, last rotated ${info.rotatedAt}` : ""}`
            : "Master key: the key file itself (never rotated; the root secret is the key's own bytes).",
        );
      } catch (error) {
        reportFailure(error, Boolean(o.json));
      }
    });
}

/** The configuration with CUSTODIA_KEY_PROVIDER replaced: where `--to` moves the master key. */
function targetConfig(config: Config, kind: string): Config {
  const keyProvider = parseKeyProvider({ ...process.env, CUSTODIA_KEY_PROVIDER: kind });
  if (keyProvider.kind === (config.keyProvider?.kind ?? "file"))
    throw new ConfigError(`The master key is already with ${kind}; run rotate-master without --to.`);
  return { ...config, keyProvider };
}

async function storedMasterRef(config: Config): Promise<{ master_ref: string; rotated_at: string | null } | null> {
  if (!(await inspectDatabase(config)).exists) return null;
  const engine = openEngine(config);
  try {
    return (await engine.db.selectFrom("vault_root").select(["master_ref", "rotated_at"]).where("id", "=", 1).executeTakeFirst()) ?? null;
  } catch {
    return null; // not migrated to 0024 yet: a file-key vault
  } finally {
    await engine.destroy();
  }
}
