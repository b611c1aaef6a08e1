import { useEffect, useState } from "react";

/**
 * Hash routes (#/clients/<id>): the server serves one page, and ids in the hash are opaque
 * UUIDs, never names or numbers, so no personal data reaches histories or logs.
 */
export function useRoute(): string[] {
  const read = () => window.location.hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  const [parts, setParts] = useState(read);
  useEffect(() => {
    const update = () => setParts(read());
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, [read]);
  return parts;
}

export const navigate = (path: string) => {
  window.location.hash = `#/${path.replace(/^\//, "")}`;
};
