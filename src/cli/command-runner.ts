/**
 * What every domain's CLI commands share: opening an existing vault (never starting a fresh one),
 * acting as console compliance, and reporting a refusal as the API would (code, message, fields).
 */
import { randomUUID } from "node:crypto";
import { type Command, Option } from "commander";
import { ZodError, type z } from "zod";
import type { Actor, RequestContext } from "../access/policy/actor.js";
import { CONSOLE_ACTOR_ID } from "../access/policy/predicates.js";
import { ConfigError, loadConfig } from "../platform/config.js";
import { prepareDataDir } from "../platform/data-dir.js";
import { AppError, ValidationError } from "../platform/errors.js";
import { openServices, type Services } from "../platform/services.js";

const CONSOLE_COMPLIANCE: Actor = Object.freeze({ userId: CONSOLE_ACTOR_ID, role: "compliance" });

/** A CLI command run by the operator as console compliance, audited as `system:console`. */
export const complianceContext = (): RequestContext => ({ actor: CONSOLE_COMPLIANCE, requestId: `cli-${randomUUID()}`, purpose: null });

export const dataDirOption = () => new Option("--data-dir <dir>", "data directory (env CUSTODIA_DATA_DIR)").default(undefined, "./data");

/** A command that opens the vault: it takes `--data-dir` and answers in text or, with `--json`, JSON. */
export const vaultCommand = (c: Command) => c.option("--json", "machine-readable output").addOption(dataDirOption());

/** Options checked as the API checks a body: a bad value is a validation_error with its field. */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  try {
    return schema.parse(value);
  } catch (error) {
    if (error instanceof ZodError) throw ValidationError(error.issues.map((i) => ({ field: i.path.join("."), code: i.code, message: i.message })));
    throw error;
  }
}

/** A comma-separated option (`--scope ENC,IAM`), trimmed, empty entries dropped. */
export const commaList = (value: string): string[] =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** Opens an existing vault only: a mistyped --data-dir or a lost key is refused, never started afresh. */
export async function withServices<T>(dataDir: string | undefined, work: (s: Services) => Promise<T>): Promise<T> {
  const config = loadConfig({ dataDir });
  const keyProvider = await prepareDataDir(config, "existing");
  const services = await openServices(config, { keyProvider });
  try {
    return await work(services);
  } finally {
    await services.close();
  }
}

/** The operator's setup is wrong: one line, exit 2. A refusal: its code and fields, exit 1. Anything else says no more than that it failed. */
export function reportFailure(error: unknown, json: boolean): void {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 2;
    return;
  }
  if (error instanceof AppError) {
    if (json) console.log(JSON.stringify({ error: { code: error.code, message: error.message, fields: error.fields } }));
    else console.error(`${error.code}: ${error.message}${error.fields.map((f) => `\n  ${f.field}: ${f.message}`).join("")}`);
  } else console.error("The command failed.");
  process.exitCode = 1;
}

/** Prints the work's answer as JSON or text; reports a failure as above. */
export const runCommand = (json: boolean, work: () => Promise<{ data: unknown; text: string }>) =>
  work().then(
    (out) => console.log(json ? JSON.stringify(out.data) : out.text),
    (error) => reportFailure(error, json),
  );
