/** Storage shapes of passkeys (WebAuthn second factor) and their ceremony challenges. */

export interface DbPasskey {
  id: string;
  user_id: string;
  /** The authenticator's credential id, base64url. */
  credential_id: string;
  /** COSE public key, base64url. */
  public_key: string;
  /** The authenticator's signature counter; an assertion must move it forward (unless both are 0). */
  counter: number;
  /** JSON array of transport hints ("internal", "usb", "hybrid", …). */
  transports: string;
  /** The owner's name for it ("Office laptop"); 1–64 characters. */
  label: string;
  created_at: string;
  last_used_at: string | null;
}

export interface DbWebauthnChallenge {
  session_id: string;
  /** registration | authentication */
  ceremony: string;
  /** base64url, as sent in the options. */
  challenge: string;
  expires_at: string;
}

export interface PasskeyTables {
  passkeys: DbPasskey;
  webauthn_challenges: DbWebauthnChallenge;
}
