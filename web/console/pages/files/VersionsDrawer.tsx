import { DownloadOutlined, EyeOutlined } from "@ant-design/icons";
import { Alert, Button, Descriptions, Drawer, Space, Spin, Table, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { StaffName } from "../../../shared/Staff";
import { useLoad } from "../../../shared/useLoad";
import { DocumentTitle, FindingTags, LevelTag, ScanStatus, usePiiLabel } from "./Labels";
import { formatBytes, type DocumentDetail, type DocumentVersion } from "./model";
import { paging } from "../../../shared/tables";

/**
 * One document's versions (earlier ones stay readable under the same rules) and where detection
 * found identifiers: page and type, never the values.
 */
export function VersionsDrawer({
  documentId,
  onClose,
  onPreview,
  onDownload,
}: {
  documentId: string;
  onClose: () => void;
  onPreview: (version: number) => void;
  onDownload: (version: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const pii = usePiiLabel();
  const detail = useLoad(() => api.get<DocumentDetail>(`/documents/${documentId}`, { purpose: true }), [documentId]);
  const d = detail.data;
  return (
    <Drawer open size={720} title={t("files.versions.title")} onClose={onClose} destroyOnHidden>
      {detail.loading && !d && <Spin />}
      {detail.error !== null && <Alert type="error" showIcon title={messageOf(detail.error)} />}
      {d && (
        <Space orientation="vertical" size="large" style={{ width: "100%" }} data-testid="document-versions">
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t("files.fields.title")}>
              <DocumentTitle document={d} />
            </Descriptions.Item>
            <Descriptions.Item label={t("files.fields.level")}>
              <LevelTag level={d.level} />
            </Descriptions.Item>
            <Descriptions.Item label={t("files.fields.findings")}>
              <FindingTags document={d} />
            </Descriptions.Item>
            <Descriptions.Item label={t("files.fields.checkedOutBy")}>
              {d.checkedOutBy ? (
                <Space size={4}>
                  <StaffName id={d.checkedOutBy} />
                  <Typography.Text type="secondary">{formatTime(d.checkedOutAt, i18n.language)}</Typography.Text>
                </Space>
              ) : (
                "—"
              )}
            </Descriptions.Item>
          </Descriptions>
          <Table<DocumentVersion>
            rowKey="version"
            size="small"
            pagination={paging({ quiet: true })}
            dataSource={d.versions}
            columns={[
              {
                title: t("files.fields.version"),
                dataIndex: "version",
                render: (v: number) => (
                  <Space size={4}>
                    {t("files.versions.number", { version: v })}
                    {v === d.currentVersion && <Tag color="blue">{t("files.versions.current")}</Tag>}
                  </Space>
                ),
              },
              { title: t("files.fields.size"), dataIndex: "sizeBytes", render: (v: number) => formatBytes(v) },
              { title: t("files.fields.scanStatus"), dataIndex: "scanStatus", render: (v: string) => <ScanStatus status={v} /> },
              { title: t("files.versions.uploadedBy"), dataIndex: "uploadedBy", render: (v: string) => <StaffName id={v} /> },
              { title: t("files.versions.uploadedAt"), dataIndex: "uploadedAt", render: (v: string) => formatTime(v, i18n.language) },
              {
                title: t("common.actions"),
                key: "actions",
                render: (_, v) => (
                  <Space size={4}>
                    {d.abilities.preview && (
                      <Button size="small" icon={<EyeOutlined />} onClick={() => onPreview(v.version)}>
                        {t("files.actions.preview")}
                      </Button>
                    )}
                    {d.abilities.download && (
                      <Button size="small" icon={<DownloadOutlined />} onClick={() => onDownload(v.version)}>
                        {t("files.actions.download")}
                      </Button>
                    )}
                  </Space>
                ),
              },
            ]}
          />
          <div>
            <Typography.Title level={5}>{t("files.versions.places")}</Typography.Title>
            {d.findingPlaces === null ? (
              <Typography.Text type="secondary">{t("files.versions.placesHidden")}</Typography.Text>
            ) : (
              <ul data-testid="finding-places" style={{ paddingInlineStart: 20, margin: 0 }}>
                {d.findingPlaces.length === 0 && <Typography.Text type="secondary">{t("files.findings.none")}</Typography.Text>}
                {d.findingPlaces.map((p, i) => (
                  <li key={`${p.page}-${p.offset}-${i}`}>
                    <Space size={4}>
                      {t("files.versions.place", { page: p.page, type: pii(p.type) })}
                      {p.validated && <Tag color="green">{t("files.versions.validated")}</Tag>}
                      <Tag>{t(`files.confidence.${p.confidence}`)}</Tag>
                    </Space>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </Space>
      )}
    </Drawer>
  );
}
