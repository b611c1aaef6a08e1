import type { IdType } from "./client.js";
import type { PersonalField } from "./fields.js";

const stars = (n: number) => "*".repeat(Math.max(n, 1));

function maskMiddle(value: string, keepStart: number, keepEnd: number): string {
  const chars = Array.from(value);
  if (chars.length <= keepStart + keepEnd) return chars[0] + stars(chars.length - 1);
  return chars.slice(0, keepStart).join("") + stars(chars.length - keepStart - keepEnd) + chars.slice(chars.length - keepEnd).join("");
}

/** Shapes a reader above their clearance may see: enough to recognise, not to use. */
export function maskField(field: PersonalField, value: string, idType: IdType | null): string {
  switch (field) {
    case "name": {
      const chars = Array.from(value);
      if (chars.length <= 2) return `${chars[0]}*`;
      return chars[0] + "*".repeat(chars.length - 2) + chars[chars.length - 1];
    }
    case "idNumber":
      return idType === "resident_id" ? maskMiddle(value, 6, 4) : maskMiddle(value, 2, 2);
    case "phone":
      return /^1\d{10}$/.test(value) ? maskMiddle(value, 3, 4) : maskMiddle(value, 0, 4).replace(/^\*/, "*");
    case "email": {
      const at = value.lastIndexOf("@");
      return at > 0 ? `${Array.from(value)[0]}***${value.slice(at)}` : stars(3);
    }
    case "address":
      return `${Array.from(value).slice(0, 6).join("")}****`;
    case "birthDate":
      return "****-**-**";
    case "notes":
      return "******";
  }
}
