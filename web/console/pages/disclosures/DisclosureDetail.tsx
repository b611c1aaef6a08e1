import { Alert, Button, Card, Descriptions, Result, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { navigate } from "../../../shared/router";
import { StaffName } from "../../../shared/Staff";
import { useLoad } from "../../../shared/useLoad";
import { useSession } from "../../session";
import { FieldsSent } from "./FieldsSent";
import { HoldingsTable } from "./HoldingsTable";
import { useRegistries } from "./lookups";
import { type Disclosure, mayManageReturns, OUTSTANDING, outstandingOf } from "./model";
import { ConfirmReturn, RequestReturn } from "./Returns";

/** One disclosure: to whom, when, under which profile and approvals, what left and who still holds it. */
export function DisclosureDetail({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const { profileName, purposeName } = useRegistries();
  const loaded = useLoad(() => api.get<Disclosure>(`/disclosures/${id}`), [id]);
  const d = loaded.data;
  if (loaded.loading && !d) return <Card loading />;
  if (!d)
    return (
      <Result
        status="warning"
        title={t("disclosures.unavailable")}
        subTitle={messageOf(loaded.error)}
        extra={<Button onClick={() => navigate("disclosures")}>{t("disclosures.back")}</Button>}
      />
    );
  const manage = mayManageReturns(me, d.requesterId);
  const outstanding = outstandingOf(d.holdings);
  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }} data-testid="disclosure-detail">
      <Card
        title={t("disclosures.detail.title", { partner: d.partner.name })}
        extra={
          <Space>
            {manage && outstanding > 0 && <RequestReturn disclosureId={d.id} onDone={loaded.reload} />}
            {manage && outstanding > 1 && <ConfirmReturn disclosureId={d.id} label={t("disclosures.returns.confirmAll")} onDone={loaded.reload} />}
            <Button onClick={() => navigate("disclosures")}>{t("disclosures.back")}</Button>
          </Space>
        }
      >
        {d.warnings.length > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={d.warnings.map((w) => (i18n.exists(`disclosures.warning.${w}`) ? t(`disclosures.warning.${w}`) : w)).join(" ")}
          />
        )}
        <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
          <Descriptions.Item label={t("disclosures.fields.partner")}>
            <a href={`#/partners/${d.partner.id}`}>{d.partner.name}</a>
          </Descriptions.Item>
          <Descriptions.Item label={t("disclosures.fields.date")}>{formatTime(d.createdAt, i18n.language)}</Descriptions.Item>
          <Descriptions.Item label={t("disclosures.fields.requester")}>
            <StaffName id={d.requesterId} />
          </Descriptions.Item>
          <Descriptions.Item label={t("disclosures.fields.purpose")}>{purposeName(d.purpose)}</Descriptions.Item>
          <Descriptions.Item label={t("disclosures.fields.legalBasis")}>
            {i18n.exists(`disclosures.legalBasis.${d.legalBasis}`) ? t(`disclosures.legalBasis.${d.legalBasis}`) : d.legalBasis}
          </Descriptions.Item>
          <Descriptions.Item label={t("disclosures.fields.profile")}>
            <Space size={4}>
              {t("disclosures.profileVersion", { name: profileName(d.profile.code), version: d.profile.version })}
              {d.manifest.profile.identifying && <Tag color="red">{t("profiles.identifying")}</Tag>}
              {d.manifest.profile.sealed && <Tag color="purple">{t("disclosures.sealedTag")}</Tag>}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t("disclosures.fields.reference")}>{d.reference ?? "—"}</Descriptions.Item>
          <Descriptions.Item label={t("disclosures.fields.clients")}>{d.manifest.recordCount}</Descriptions.Item>
          <Descriptions.Item label={t("disclosures.detail.sent")} span={2}>
            <span data-testid="disclosure-fields">
              <FieldsSent fields={d.manifest.fields} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t("disclosures.detail.omitted")} span={2}>
            {d.manifest.omitted.length ? d.manifest.omitted.map((f) => t(`profiles.field.${f}`)).join(t("disclosures.listSeparator")) : "—"}
          </Descriptions.Item>
          <Descriptions.Item label={t("disclosures.detail.digest")} span={2}>
            <Typography.Text code style={{ fontSize: 12 }}>
              {d.digests.sealedSha256 ?? d.digests.jsonSha256}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t("disclosures.holdings.title")}>
        <HoldingsTable
          testId="disclosure-holdings"
          holdings={d.holdings}
          action={
            manage
              ? (h) =>
                  OUTSTANDING.includes(h.status) ? (
                    <ConfirmReturn disclosureId={d.id} clientId={h.clientId} label={t("disclosures.returns.confirm")} onDone={loaded.reload} />
                  ) : null
              : undefined
          }
        />
      </Card>
    </Space>
  );
}
