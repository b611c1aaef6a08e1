import { SyncOutlined } from "@ant-design/icons";
import { Alert, App, Button, Popconfirm, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { useLoad } from "../../../shared/useLoad";
import type { KeyVersion } from "./types";
import { paging } from "../../../shared/tables";

/** Key-encryption keys: versions, what each wraps, and rotation (as `custodia keys rotate`). */
export function KeysTab() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const keys = useLoad(() => api.get<{ items: KeyVersion[] }>("/keys"), []);
  const [rotating, setRotating] = useState(false);
  const active = keys.data?.items.find((k) => k.status === "active");
  const time = (v: string | null) => formatTime(v, i18n.language);

  const rotate = async () => {
    setRotating(true);
    try {
      const r = await api.post<{ version: number; rewrapped: number }>("/keys/rotate");
      message.success(t("admin.keys.rotated", { version: r.version, count: r.rewrapped }));
      keys.reload();
    } catch (e) {
      message.error(messageOf(e));
    } finally {
      setRotating(false);
    }
  };

  return (
    <>
      <Space style={{ marginBottom: 16 }} wrap>
        <Popconfirm title={t("admin.keys.rotateConfirm")} description={t("admin.keys.rotateHelp")} onConfirm={rotate}>
          <Button type="primary" icon={<SyncOutlined />} loading={rotating} data-testid="keys-rotate">
            {t("admin.keys.rotate")}
          </Button>
        </Popconfirm>
        <Button onClick={keys.reload}>{t("common.refresh")}</Button>
        {active && <Typography.Text data-testid="keys-active">{t("admin.keys.activeVersion", { version: active.version })}</Typography.Text>}
      </Space>
      {keys.error !== null && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={messageOf(keys.error)} />}
      <Table<KeyVersion>
        rowKey="version"
        size="small"
        loading={keys.loading}
        dataSource={keys.data?.items ?? []}
        pagination={paging({ quiet: true })}
        data-testid="keys-table"
        columns={[
          { title: t("admin.keys.version"), dataIndex: "version", render: (v: number) => `v${v}` },
          {
            title: t("common.status"),
            dataIndex: "status",
            render: (s: string) => <Tag color={s === "active" ? "green" : "default"}>{t(`admin.keys.status.${s}`)}</Tag>,
          },
          { title: t("admin.keys.createdAt"), dataIndex: "createdAt", render: time },
          { title: t("admin.keys.retiredAt"), dataIndex: "retiredAt", render: time },
          { title: t("admin.keys.dataKeys"), dataIndex: "dataKeys" },
        ]}
      />
    </>
  );
}
