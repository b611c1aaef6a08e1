import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkcs11js from "pkcs11js";
import { DEFAULT_PKCS11_MODULE } from "../../src/platform/config.js";

const SO_PIN = "12345678";
export const SOFTHSM_PIN = "87654321";

/**
 * A SoftHSM2 token directory of its own, in a temp directory. SOFTHSM2_CONF is read when the
 * library initialises, once per process: create one per test file, before any provider runs.
 */
export interface SoftHsm {
  readonly conf: string;
  /** A fresh, initialised token; returns the environment that points Custodia at it. */
  token(label: string, keyLabel?: string): Record<string, string>;
  /** Labels of the secret keys in a token. */
  keyLabels(tokenLabel: string): string[];
  /** Deletes a key object, as an operator would once no backup needs it. */
  destroyKey(tokenLabel: string, keyLabel: string): void;
  cleanup(): void;
}

export function createSoftHsm(): SoftHsm {
  const dir = mkdtempSync(join(tmpdir(), "custodia-softhsm-"));
  const conf = join(dir, "softhsm2.conf");
  writeFileSync(join(dir, ".keep"), "");
  writeFileSync(conf, `directories.tokendir = ${dir}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env.SOFTHSM2_CONF = conf;
  let lib: pkcs11js.PKCS11 | null = null;
  const session = (tokenLabel: string) => {
    if (!lib) {
      lib = new pkcs11js.PKCS11();
      lib.load(DEFAULT_PKCS11_MODULE);
      try {
        lib.C_Initialize();
      } catch (error) {
        if (!(error instanceof Error && error.message.startsWith("CKR_CRYPTOKI_ALREADY_INITIALIZED"))) throw error;
      }
    }
    const l = lib;
    const slot = l.C_GetSlotList(true).find((s) => l.C_GetTokenInfo(s).label.trim() === tokenLabel);
    if (slot === undefined) throw new Error(`no token ${tokenLabel}`);
    const s = l.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    try {
      l.C_Login(s, pkcs11js.CKU_USER, SOFTHSM_PIN);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith("CKR_USER_ALREADY_LOGGED_IN"))) throw error;
    }
    return { l, s };
  };
  const find = (tokenLabel: string, label?: string) => {
    const { l, s } = session(tokenLabel);
    l.C_FindObjectsInit(s, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY }, ...(label ? [{ type: pkcs11js.CKA_LABEL, value: label }] : [])]);
    const handles = l.C_FindObjects(s, 100);
    l.C_FindObjectsFinal(s);
    return { l, s, handles };
  };
  return {
    conf,
    token(label, keyLabel = "custodia-master") {
      execFileSync("softhsm2-util", ["--init-token", "--free", "--label", label, "--so-pin", SO_PIN, "--pin", SOFTHSM_PIN], {
        env: { ...process.env, SOFTHSM2_CONF: conf },
        stdio: "ignore",
      });
      return {
        SOFTHSM2_CONF: conf,
        CUSTODIA_KEY_PROVIDER: "pkcs11",
        CUSTODIA_PKCS11_MODULE: DEFAULT_PKCS11_MODULE,
        CUSTODIA_PKCS11_TOKEN_LABEL: label,
        CUSTODIA_PKCS11_PIN: SOFTHSM_PIN,
        CUSTODIA_PKCS11_KEY_LABEL: keyLabel,
      };
    },
    keyLabels(tokenLabel) {
      const { l, s, handles } = find(tokenLabel);
      const labels = handles.map((h) => String(l.C_GetAttributeValue(s, h, [{ type: pkcs11js.CKA_LABEL }])[0]?.value ?? ""));
      l.C_CloseSession(s);
      return labels.sort();
    },
    destroyKey(tokenLabel, keyLabel) {
      const { l, s, handles } = find(tokenLabel, keyLabel);
      if (handles.length !== 1) throw new Error(`expected one key ${keyLabel}, found ${handles.length}`);
      l.C_DestroyObject(s, handles[0]!);
      l.C_CloseSession(s);
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
