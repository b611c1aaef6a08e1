/**
 * Phone numbers as the providers want them. The number on file may be typed any way
 * ("138 0013 8000", "+86-13800138000", "+852 9123 4567"); both providers need one canonical form,
 * and the rate limit must count the same person once however the number was typed.
 */

/** E.164 ("+8613800138000"), or null when the value is no plausible phone number. */
export function toE164(raw: string): string | null {
  const trimmed = raw.trim();
  if (!/^[+\d][\d\s().-]*$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D+/g, "");
  let e164: string;
  if (trimmed.startsWith("+")) e164 = `+${digits}`;
  else if (digits.startsWith("00")) e164 = `+${digits.slice(2)}`;
  // A mainland mobile number written without its country code.
  else if (/^1\d{10}$/.test(digits)) e164 = `+86${digits}`;
  else if (/^861\d{10}$/.test(digits)) e164 = `+${digits}`;
  else return null;
  // E.164: a country code and at most 15 digits in all.
  if (!/^\+[1-9]\d{6,14}$/.test(e164)) return null;
  if (e164.startsWith("+86") && !/^\+861\d{10}$/.test(e164)) return null;
  return e164;
}

/**
 * Alibaba Cloud's PhoneNumbers form: a mainland number without its country code, any other
 * number as country code and number without "+" (国际/港澳台号码：国际区号+号码).
 */
export function aliyunPhoneNumber(e164: string): string {
  return e164.startsWith("+86") ? e164.slice(3) : e164.slice(1);
}
