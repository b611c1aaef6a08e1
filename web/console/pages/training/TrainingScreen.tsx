import { ReadOutlined } from "@ant-design/icons";
import { Card, Tabs, Typography } from "antd";
import { useSession } from "../../session";
import { useLabels } from "../programme/codes";
import type { Screen } from "../registry";
import { AgreementAdmin, BackgroundChecks, CourseAdmin, Overview } from "./Manage";
import { MyTraining } from "./MyTraining";

/**
 * 培训与协议 / Training & agreements (issue #14, TRN-1, TRN-2): everyone's own courses and the
 * staff NDA prompt; for compliance (the caller's permissions decide which tabs show) the courses,
 * assignments, agreement versions, overdue list, figures and background checks.
 */
function TrainingPage() {
  const { t } = useLabels();
  const { me } = useSession();
  const training = me.permissions.includes("training.manage");
  const agreements = me.permissions.includes("agreement.manage");
  const items = [
    { key: "mine", label: t("training.tabs.mine"), children: <MyTraining /> },
    ...(training
      ? [
          { key: "courses", label: t("training.tabs.courses"), children: <CourseAdmin /> },
          { key: "overview", label: t("training.tabs.overview"), children: <Overview /> },
        ]
      : []),
    ...(agreements
      ? [
          { key: "agreements", label: t("training.tabs.agreements"), children: <AgreementAdmin /> },
          { key: "checks", label: t("training.tabs.checks"), children: <BackgroundChecks /> },
        ]
      : []),
  ];
  return (
    <Card title={t("training.title")}>
      <Typography.Paragraph type="secondary">{t("training.intro")}</Typography.Paragraph>
      <Tabs items={items} destroyOnHidden />
    </Card>
  );
}

export const trainingScreen: Screen = { key: "training", icon: <ReadOutlined />, order: 63, group: "compliance", component: TrainingPage };
