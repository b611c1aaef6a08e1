import { Typography } from "antd";
import { useCodeLabel } from "../../../shared/codes";
import { shortId, UUID } from "../../../shared/ids";
import { RecordChip } from "../../../shared/pickers";
import { StaffName } from "../../../shared/Staff";
import { useSession } from "../../session";

/**
 * An audit event's target as a person reads it: a client or matter by name, a staff member by
 * name, anything else as its type and the id's tail (or the id itself when it is a name, as a job's is) (the full id stays on the element and in the
 * CSV). Names of clients and matters are looked up only for roles that may search clients: for an
 * auditor each lookup would be a refused, audited read.
 */
export function TargetRef({ type, id }: { type: string | null; id: string | null }) {
  const label = useCodeLabel();
  const { me } = useSession();
  if (!type && !id) return <>—</>;
  if (id && type === "user") return <StaffName id={id} />;
  if (id && (type === "client" || type === "matter") && me.permissions.includes("client.search")) return <RecordChip kind={type} id={id} />;
  return (
    <Typography.Text data-record-id={id ?? undefined} title={id ? shortId(id) : undefined}>
      {type ? label("targetType", type) : "—"}
      {id ? ` · ${UUID.test(id) ? shortId(id) : id}` : ""}
    </Typography.Text>
  );
}
