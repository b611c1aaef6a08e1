import { SafetyCertificateOutlined } from "@ant-design/icons";
import { Card, Tabs } from "antd";
import { navigate } from "../../../shared/router";
import { useSession } from "../../session";
import { useLabels } from "../programme/codes";
import type { Screen } from "../registry";
import { AttestationsTab, LawChangesTab, NoticeboardTab } from "./OversightTabs";
import { PoliciesTab } from "./PoliciesTab";
import { TeamTab } from "./TeamTab";

/** 隐私团队与制度: the team and its contact, the policies to read and attest, and (for compliance and the auditor) who has not, and the law-change log. */
function PrivacyTeamPage({ params }: { params: string[] }) {
  const { t } = useLabels();
  const { me } = useSession();
  const oversee = me.permissions.includes("policy.oversee");
  const tabs = [
    { key: "team", label: t("privacyTeam.tabs.team"), children: <TeamTab /> },
    { key: "policies", label: t("privacyTeam.tabs.policies"), children: <PoliciesTab /> },
    ...(oversee
      ? [
          { key: "attestations", label: t("privacyTeam.tabs.attestations"), children: <AttestationsTab /> },
          { key: "law-changes", label: t("privacyTeam.tabs.lawChanges"), children: <LawChangesTab /> },
        ]
      : []),
    { key: "noticeboard", label: t("privacyTeam.tabs.noticeboard"), children: <NoticeboardTab /> },
  ];
  const tab = tabs.find((x) => x.key === params[0])?.key ?? "team";
  return (
    <Card title={t("privacyTeam.title")}>
      <Tabs activeKey={tab} onChange={(k) => navigate(`privacyTeam/${k}`)} items={tabs} />
    </Card>
  );
}

/** Everyone reads the team, the policies and the noticeboard, and attests their own. */
export const privacyTeamScreen: Screen = {
  key: "privacyTeam",
  icon: <SafetyCertificateOutlined />,
  order: 61,
  group: "compliance",
  component: PrivacyTeamPage,
};
