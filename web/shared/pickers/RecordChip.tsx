import { Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ClientOption, type MatterOption, resolve } from "./lookup";

/**
 * A reference to a client or a matter, by name, linking to the record: "欧阳娜娜" for a client,
 * "欧阳娜娜 · 2026-民-0001" for a matter (the client's name when the caller may see it). A record
 * the caller may not see (a wall, need-to-know) or that is gone shows as such, never as its id;
 * the id stays in the element (data-record-id) for whoever matches it against an audit trail.
 */
export function RecordChip({ kind, id }: { kind: "client" | "matter"; id: string | null | undefined }) {
  const { t } = useTranslation();
  const [label, setLabel] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    let live = true;
    setLabel(null);
    setMissing(false);
    if (!id) return;
    const done = (text: string | null) => {
      if (!live) return;
      if (text === null) setMissing(true);
      else setLabel(text);
    };
    if (kind === "client") void resolve("clients", id).then((c: ClientOption | null) => done(c ? c.name : null));
    else
      void resolve("matters", id).then(async (m: MatterOption | null) => {
        if (!m) return done(null);
        const client = await resolve("clients", m.clientId);
        done(client ? `${client.name} · ${m.number}` : m.number);
      });
    return () => {
      live = false;
    };
  }, [kind, id]);
  if (!id) return <Typography.Text type="secondary">—</Typography.Text>;
  const href = `#/${kind === "client" ? "clients" : "matters"}/${id}`;
  return (
    <Tag data-record-id={id} data-testid={`${kind}-chip`} title={t(`pickers.chip.${kind}`)} color={missing ? undefined : "blue"}>
      {missing ? (
        <Typography.Text type="secondary">{t(kind === "client" ? "pickers.unknownClient" : "pickers.unknownMatter")}</Typography.Text>
      ) : (
        <a href={href}>{label ?? "…"}</a>
      )}
    </Tag>
  );
}
