import { z } from "zod";
import { humanText } from "../../schema-text.js";

const base64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/)
    .describe("base64url, unpadded");
const TRANSPORTS = ["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"] as const;
// What @simplewebauthn/browser sends besides the WebAuthn fields; unknown extension outputs are dropped.
const credentialCommon = {
  id: base64url(1366),
  rawId: base64url(1366),
  type: z.literal("public-key"),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()),
};

export const PasskeyRegistrationSchema = z.strictObject({
  label: humanText().trim().min(1).max(64).describe('Your name for this passkey, e.g. "Office laptop"'),
  response: z
    .object({
      ...credentialCommon,
      response: z.object({
        clientDataJSON: base64url(4096),
        attestationObject: base64url(32_768),
        authenticatorData: base64url(8192).optional(),
        transports: z.array(z.enum(TRANSPORTS)).max(8).optional(),
        publicKeyAlgorithm: z.number().int().optional(),
        publicKey: base64url(8192).optional(),
      }),
    })
    .describe("RegistrationResponseJSON from navigator.credentials.create() (startRegistration)"),
});
export type PasskeyRegistrationRequest = z.infer<typeof PasskeyRegistrationSchema>;

export const PasskeyAssertionSchema = z.strictObject({
  response: z
    .object({
      ...credentialCommon,
      response: z.object({
        clientDataJSON: base64url(4096),
        authenticatorData: base64url(8192),
        signature: base64url(4096),
        userHandle: base64url(256).optional(),
      }),
    })
    .describe("AuthenticationResponseJSON from navigator.credentials.get() (startAuthentication)"),
});
export type PasskeyAssertionRequest = z.infer<typeof PasskeyAssertionSchema>;

export const PasskeyOptionsSchema = z
  .looseObject({
    challenge: z.string().describe("Single use, bound to this session, valid for two minutes"),
  })
  .describe("PublicKeyCredentialCreationOptionsJSON or PublicKeyCredentialRequestOptionsJSON, for @simplewebauthn/browser");

export const PasskeySchema = z.object({
  id: z.string(),
  label: z.string(),
  transports: z.array(z.string()),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});

export const PasskeyListSchema = z.object({ items: z.array(PasskeySchema) });
