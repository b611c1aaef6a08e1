import { loadConfig } from "../../platform/config.js";
import { senderFromEnv } from "./code-sender.js";
import { DEFAULT_REQUEST_SETTINGS, type RequestSettings } from "./request.js";

/** Defaults, overridden by the server's options; the sender defaults to the dev outbox (or SMTP from the environment). */
export function requestSettings(overrides: Partial<RequestSettings> = {}): RequestSettings {
  return Object.freeze({ ...DEFAULT_REQUEST_SETTINGS, sender: overrides.sender ?? senderFromEnv(loadConfig().dataDir), ...overrides });
}
