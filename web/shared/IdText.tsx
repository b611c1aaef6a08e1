import { Typography } from "antd";
import { shortId } from "./ids";

/** A record id (client, matter, request, batch): short on screen, the full id in a tooltip and copyable. Staff ids go through StaffName. */
export function IdText({ id }: { id: string | null | undefined }) {
  if (!id) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Typography.Text code copyable={{ text: id }} title={id}>
      {shortId(id)}
    </Typography.Text>
  );
}
