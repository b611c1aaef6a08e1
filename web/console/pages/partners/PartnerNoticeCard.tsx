import { Card, Space, Table, Tag, Typography } from "antd";
import { IdText } from "../../../shared/IdText";
import { useLabels } from "../programme/codes";
import { paging } from "../../../shared/tables";

export interface PartnerNotice {
  partnerIncidentId: string;
  partnerId: string;
  partnerName: string;
  occurredOn: string;
  clientDataInvolved: boolean;
}
export interface PartnerExposure {
  partnerId: string;
  disclosureId: string;
  clientId: string;
  fields: { field: string; rule: string; method: string | null }[];
}

/**
 * On an incident a partner's breach notice opened (issue #13): the notice, linked back to the
 * partner's page, and what the partner held, field by field in the form it was sent. Fields sent
 * in full are red: only they count as exposed in clear in the blast radius above.
 */
export function PartnerNoticeCard({ notices, exposures }: { notices: PartnerNotice[]; exposures: PartnerExposure[] }) {
  const { t, code, date } = useLabels();
  if (notices.length === 0 && exposures.length === 0) return null;
  const form = (f: PartnerExposure["fields"][number]) =>
    f.rule === "generalise" && f.method ? code("profiles.method", f.method) : code("partners.notice.rule", f.rule);
  return (
    <Card title={t("partners.notice.incidentTitle")} data-testid="incident-partner-notice">
      <Space orientation="vertical" style={{ width: "100%" }}>
        {notices.map((n) => (
          <Space key={n.partnerIncidentId} wrap>
            <a href={`#/partners/${n.partnerId}`}>{t("partners.notice.from", { partner: n.partnerName, date: date(n.occurredOn) })}</a>
            {n.clientDataInvolved && <Tag color="red">{t("partners.incidents.clientDataInvolved")}</Tag>}
          </Space>
        ))}
        <Typography.Title level={5} style={{ margin: "8px 0 0" }}>
          {t("partners.notice.held")}
        </Typography.Title>
        <Typography.Text type="secondary">{t("partners.notice.heldHelp")}</Typography.Text>
        <Table
          rowKey={(e) => `${e.disclosureId}:${e.clientId}`}
          size="small"
          dataSource={exposures}
          pagination={paging()}
          columns={[
            { title: t("partners.notice.client"), dataIndex: "clientId", render: (v: string) => <IdText id={v} /> },
            {
              title: t("partners.notice.disclosure"),
              dataIndex: "disclosureId",
              render: (v: string) => <a href={`#/disclosures/${v}`}>{t("partners.notice.openDisclosure")}</a>,
            },
            {
              title: t("partners.notice.fieldsSent"),
              dataIndex: "fields",
              render: (fields: PartnerExposure["fields"]) => (
                <Space wrap size={4}>
                  {fields.map((f) => (
                    <Tag key={f.field} color={f.rule === "keep" ? "red" : "default"} data-testid="incident-partner-field">
                      {code("profiles.field", f.field)}：{form(f)}
                    </Tag>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      </Space>
    </Card>
  );
}
