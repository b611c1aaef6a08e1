import { Alert, App as AntApp, Modal, Progress, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { messageOf } from "../../../shared/errors";
import { upload } from "../../../shared/upload";
import { FileDrop } from "./FileDrop";
import type { ClientDocument } from "./model";

/** A new version of a document; earlier versions are kept. Refused while someone else has it checked out. */
export function NewVersionDialog({
  document,
  onClose,
  onUploaded,
}: {
  document: ClientDocument;
  onClose: () => void;
  onUploaded: (d: ClientDocument) => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    if (!file) return setError(t("files.upload.noFile"));
    setError(null);
    setProgress(0);
    try {
      const updated = await upload<ClientDocument>(`/documents/${document.id}/versions`, {
        file,
        purpose: true,
        onProgress: (f) => setProgress(Math.round(f * 100)),
      });
      void message.success(t("files.newVersion.done", { version: updated.currentVersion }));
      onUploaded(updated);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setProgress(null);
    }
  };
  return (
    <Modal
      open
      title={t("files.newVersion.title")}
      okText={t("files.newVersion.submit")}
      okButtonProps={{ loading: progress !== null, disabled: !file }}
      cancelText={t("common.cancel")}
      onOk={() => void send()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t("files.newVersion.help", { version: document.currentVersion + 1 })}</Typography.Paragraph>
      <FileDrop file={file} onChange={setFile} hint={t("files.upload.hint")} testId="version-drop" />
      {progress !== null && <Progress aria-label={t("common.uploadProgress")} percent={progress} status="active" style={{ marginTop: 12 }} />}
      {error && <Alert style={{ marginTop: 12 }} type="error" showIcon title={error} />}
    </Modal>
  );
}
