import { Space, Tag, Typography } from "antd";
import { useLabels } from "../programme/codes";
import { type ListedPartner, RISK_COLOURS } from "./types";

/** Risk, next re-assessment and whether the partner may receive data now: what a reader looks for. */
export function StandingTags({ p }: { p: Pick<ListedPartner, "risk" | "readiness" | "contractsExpiringSoon"> }) {
  const { t, code, date } = useLabels();
  return (
    <Space size={4} wrap>
      {p.risk ? <Tag color={RISK_COLOURS[p.risk.level]}>{code("partners.risk", p.risk.level)}</Tag> : <Tag>{t("partners.notAssessed")}</Tag>}
      {p.risk && (
        <Typography.Text type={p.risk.overdue ? "danger" : "secondary"}>
          {t("partners.reassessBy", { date: date(p.risk.reassessmentDueOn) })}
          {p.risk.overdue && ` · ${t("partners.overdue")}`}
        </Typography.Text>
      )}
      {p.contractsExpiringSoon > 0 && <Tag color="orange">{t("partners.contractsExpiring", { count: p.contractsExpiringSoon })}</Tag>}
    </Space>
  );
}

export function Readiness({ r }: { r: ListedPartner["readiness"] }) {
  const { t, code } = useLabels();
  return r.ready ? <Tag color="green">{t("partners.ready")}</Tag> : <Tag color="red">{code("partners.reason", r.reason)}</Tag>;
}
