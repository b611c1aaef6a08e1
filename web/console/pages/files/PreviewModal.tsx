import { Alert, Empty, Modal, Spin, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api, query } from "../../../shared/api";
import { messageOf } from "../../../shared/errors";
import { useLoad } from "../../../shared/useLoad";
import { codeKey, type Preview } from "./model";

const METHODS = ["plain", "docx", "xlsx", "pdf-text", "ocr", "none"] as const;

/** Reading in the console: the text of each page, no copy made (the server audits the preview). */
export function PreviewModal({ documentId, version, title, onClose }: { documentId: string; version?: number; title: string; onClose: () => void }) {
  const { t } = useTranslation();
  const preview = useLoad(() => api.get<Preview>(`/documents/${documentId}/preview${query({ version })}`, { purpose: true }), [documentId, version]);
  return (
    <Modal open title={title} footer={null} width={860} onCancel={onClose} destroyOnHidden>
      {preview.loading && <Spin />}
      {preview.error !== null && <Alert type="error" showIcon title={messageOf(preview.error)} />}
      {preview.data && (
        <div data-testid="preview-pages">
          <Typography.Paragraph type="secondary">
            {t("files.preview.help")} <Tag>{t(codeKey("previewMethods", preview.data.method, METHODS))}</Tag>
          </Typography.Paragraph>
          {preview.data.pages.length === 0 && <Empty description={t("files.preview.empty")} />}
          {preview.data.pages.map((p) => (
            <section key={p.page} style={{ marginBottom: 16 }}>
              <Typography.Title level={5}>{t("files.preview.page", { page: p.page })}</Typography.Title>
              <pre style={{ whiteSpace: "pre-wrap", maxHeight: 420, overflow: "auto", background: "#fafafa", padding: 12 }}>{p.text}</pre>
            </section>
          ))}
        </div>
      )}
    </Modal>
  );
}
