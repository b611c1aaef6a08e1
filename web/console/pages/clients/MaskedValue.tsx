import { EyeInvisibleOutlined } from "@ant-design/icons";
import { Space, Tag, Tooltip } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Access } from "./model";

/** A visible "masked" tag on a field the API returned masked, with the API's reason on hover. */
export function MaskedTag({ field, access }: { field: string; access: Access }) {
  const { t } = useTranslation();
  if (!access.maskedFields.includes(field)) return null;
  return (
    <Tooltip title={t(`clients.access.reasons.${access.reason}`)}>
      <Tag color="orange" icon={<EyeInvisibleOutlined />} data-testid={`masked-${field}`}>
        {t("clients.access.masked")}
      </Tag>
    </Tooltip>
  );
}

/** A field's value exactly as the API sent it (masked or not), with the tag when masked. */
export function MaskedValue({ field, access, children }: { field: string; access: Access; children: ReactNode }) {
  return (
    <Space size={8} wrap>
      <span data-testid={`value-${field}`}>{children}</span>
      <MaskedTag field={field} access={access} />
    </Space>
  );
}
