import type { Config } from "../../platform/config.js";
import type { KeyProvider } from "../key-provider.js";
import { FileKeyProvider } from "./file-key-provider.js";
import { Pkcs11KeyProvider } from "./pkcs11-key-provider.js";
import { TransitKeyProvider } from "./transit-key-provider.js";

/**
 * The provider the configuration names (CUSTODIA_KEY_PROVIDER). `create` allows making the master
 * key (a key file, a token object, a transit key) for a new vault only.
 */
export function keyProviderFor(config: Config, options: { create: boolean } = { create: false }): KeyProvider {
  const settings = config.keyProvider ?? { kind: "file" };
  switch (settings.kind) {
    case "file":
      return new FileKeyProvider(config.masterKeyFile, options);
    case "pkcs11":
      return new Pkcs11KeyProvider(settings, options);
    case "transit":
      return new TransitKeyProvider(settings, options);
  }
}

export { FileKeyProvider, Pkcs11KeyProvider, TransitKeyProvider };
