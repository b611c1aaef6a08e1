import { InboxOutlined } from "@ant-design/icons";
import { Typography, Upload } from "antd";
import { useTranslation } from "react-i18next";
import { formatBytes } from "./model";

/**
 * A drag-and-drop box holding one chosen file; nothing is sent until the form is submitted (the
 * form's own fields must go first in the multipart body).
 */
export function FileDrop({ file, onChange, hint, testId }: { file: File | null; onChange: (file: File) => void; hint: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <div data-testid={testId}>
      <Upload.Dragger
        multiple={false}
        showUploadList={false}
        beforeUpload={(chosen) => {
          onChange(chosen);
          return false; // keep it here; the form uploads it
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t("files.drop.text")}</p>
        <p className="ant-upload-hint">{hint}</p>
        {file && (
          <Typography.Text strong data-testid={`${testId}-chosen`}>
            {t("files.drop.chosen", { name: file.name, size: formatBytes(file.size) })}
          </Typography.Text>
        )}
      </Upload.Dragger>
    </div>
  );
}
