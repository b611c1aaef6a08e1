import { Card, Empty, Space, Statistic, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api, purpose } from "../../../shared/api";
import { formatTime } from "../../../shared/format";
import { useLoad } from "../../../shared/useLoad";
import { HoldingsTable } from "./HoldingsTable";
import { useRegistries } from "./lookups";
import type { PartnerHoldings as Holdings } from "./model";

/** What a partner holds of the firm's clients (外部持有), disclosure by disclosure, for its register page. */
export function PartnerHoldings({ partnerId }: { partnerId: string }) {
  const { t, i18n } = useTranslation();
  const { profileName, purposeName } = useRegistries();
  const loaded = useLoad(() => api.get<Holdings>(`/partners/${partnerId}/holdings`), [partnerId]);
  const h = loaded.data;
  if (loaded.loading && !h) return <Card loading />;
  if (!h) return <Empty description={t("disclosures.none")} />;
  return (
    <Space orientation="vertical" style={{ width: "100%" }} data-testid="partner-holdings">
      <Statistic title={t("disclosures.holdings.outstanding")} value={h.outstanding} />
      {!purpose() && <Typography.Text type="secondary">{t("disclosures.holdings.purposeForNames")}</Typography.Text>}
      {h.disclosures.length === 0 && <Empty description={t("disclosures.holdings.none")} />}
      {h.disclosures.map((d) => (
        <Card
          key={d.id}
          type="inner"
          size="small"
          title={
            <a href={`#/disclosures/${d.id}`}>
              {t("disclosures.holdings.disclosureTitle", {
                date: formatTime(d.createdAt, i18n.language),
                purpose: purposeName(d.purpose),
                profile: profileName(d.profile.code),
              })}
            </a>
          }
        >
          <HoldingsTable holdings={d.holdings} />
        </Card>
      ))}
    </Space>
  );
}
