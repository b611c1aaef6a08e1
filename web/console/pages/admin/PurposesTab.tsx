import { Alert, Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { useLoad } from "../../../shared/useLoad";
import type { Purpose } from "./types";
import { paging } from "../../../shared/tables";

/** The purpose registry: the codes staff declare in X-Purpose before reading personal data. */
export function PurposesTab() {
  const { t, i18n } = useTranslation();
  const purposes = useLoad(() => api.get<{ items: Purpose[] }>("/purposes"), []);
  const en = i18n.language === "en";
  if (purposes.error) return <Alert type="error" showIcon title={messageOf(purposes.error)} />;
  return (
    <Table<Purpose>
      rowKey="code"
      size="small"
      loading={purposes.loading}
      dataSource={purposes.data?.items ?? []}
      pagination={paging({ quiet: true })}
      columns={[
        { title: t("admin.purposes.code"), dataIndex: "code", render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
        { title: t("admin.purposes.name"), key: "name", render: (_, p) => (en ? p.nameEn : p.nameZh) },
        { title: t("admin.purposes.description"), dataIndex: "description" },
        {
          title: t("admin.purposes.legalBasis"),
          dataIndex: "legalBasis",
          render: (v: string) => (i18n.exists(`admin.purposes.legalBases.${v}`) ? t(`admin.purposes.legalBases.${v}`) : v),
        },
      ]}
    />
  );
}
