import { Typography } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../shared/api";
import { useLoad } from "../shared/useLoad";

interface PrivacyContactData {
  published: boolean;
  email: string | null;
  phone: string | null;
}

/**
 * The firm's privacy contact (CON-4): the privacy officer's role mailbox and phone as the privacy
 * team records them (GET /privacy-contact). Until one is entered, or if it cannot be read, the
 * portal points to its own complaint channel instead.
 */
export function PrivacyContact() {
  const { t } = useTranslation();
  const contact = useLoad(() => api.get<PrivacyContactData>("/privacy-contact"), []);
  const c = contact.data;
  const parts = c?.published
    ? [c.email ? t("privacyTeam.portal.email", { email: c.email }) : null, c.phone ? t("privacyTeam.portal.phone", { phone: c.phone }) : null].filter(Boolean)
    : [];
  return (
    <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 4 }} data-testid="privacy-contact">
      {parts.length ? t("privacyTeam.portal.contact", { contact: parts.join(" · ") }) : t("privacyTeam.portal.fallback")}
    </Typography.Paragraph>
  );
}
