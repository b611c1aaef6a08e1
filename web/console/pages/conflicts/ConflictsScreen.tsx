import { SafetyCertificateOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Form, Input, Row, Space, Statistic, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { navigate } from "../../../shared/router";
import type { Screen } from "../registry";
import { paging } from "../../../shared/tables";

type Hit = { walled: false; clientId: string; matchedOn: ("name" | "idNumber")[]; openMatters: number; practiceAreas: string[] } | { walled: true };
interface Report {
  total: number;
  walled: number;
  hits: Hit[];
}
type Criteria = { name?: string; idNumber?: string };

/** Conflict checks run under their own registered purpose, whatever the header selector shows. */
const CONFLICT_CHECK_PURPOSE = "conflict-check";

/**
 * Intake conflict check (POST /conflicts/search, criteria in the body). The answer holds no names
 * or identifiers: client ids, what matched, open matters and practice areas; walled hits only count.
 */
function ConflictsPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Criteria>();
  const [report, setReport] = useState<Report | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const check = async (values: Criteria) => {
    const criteria = Object.fromEntries(
      Object.entries(values)
        .map(([k, v]) => [k, typeof v === "string" ? v.trim() : ""])
        .filter(([, v]) => v),
    );
    if (Object.keys(criteria).length === 0) {
      setError(t("conflicts.needOne"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setReport(await api.post<Report>("/conflicts/search", criteria, { headers: { "x-purpose": CONFLICT_CHECK_PURPOSE } }));
    } catch (e) {
      setReport(null);
      showFieldErrors(form, e);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const rows = (report?.hits ?? []).map((hit, index) => ({ key: hit.walled ? `walled-${index}` : hit.clientId, hit }));
  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }}>
      <Card title={t("conflicts.title")}>
        <Typography.Paragraph type="secondary">{t("conflicts.help")}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={check} data-testid="conflict-form">
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="name" label={t("conflicts.name")}>
                <Input allowClear autoComplete="off" maxLength={200} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="idNumber" label={t("conflicts.idNumber")}>
                <Input allowClear autoComplete="off" maxLength={40} />
              </Form.Item>
            </Col>
          </Row>
          <Space>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t("conflicts.submit")}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setReport(null);
                setError(null);
              }}
            >
              {t("common.reset")}
            </Button>
          </Space>
        </Form>
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 16 }} data-testid="conflict-error" />}
      </Card>
      {report && (
        <Card title={t("conflicts.result")} data-testid="conflict-report">
          {report.total === 0 ? (
            <Alert type="success" showIcon title={t("conflicts.none")} />
          ) : (
            <Alert
              type="warning"
              showIcon
              title={t("conflicts.found", { total: report.total })}
              description={report.walled > 0 ? t("conflicts.walledNote", { walled: report.walled }) : undefined}
            />
          )}
          <Row gutter={16} style={{ margin: "16px 0" }}>
            <Col span={12}>
              <Statistic title={t("conflicts.total")} value={report.total} />
            </Col>
            <Col span={12}>
              <Statistic title={t("conflicts.walled")} value={report.walled} />
            </Col>
          </Row>
          <Table
            rowKey="key"
            size="small"
            pagination={paging({ quiet: true })}
            dataSource={rows}
            locale={{ emptyText: t("conflicts.none") }}
            columns={[
              {
                title: t("conflicts.client"),
                key: "client",
                render: (_, { hit }) =>
                  hit.walled ? (
                    <Tag color="red">{t("conflicts.walledHit")}</Tag>
                  ) : (
                    <Button type="link" onClick={() => navigate(`clients/${hit.clientId}`)}>
                      <Typography.Text code>{hit.clientId}</Typography.Text>
                    </Button>
                  ),
              },
              {
                title: t("conflicts.matchedOn"),
                key: "matched",
                render: (_, { hit }) => (hit.walled ? "—" : hit.matchedOn.map((f) => <Tag key={f}>{t(`conflicts.fields.${f}`)}</Tag>)),
              },
              { title: t("conflicts.openMatters"), key: "open", render: (_, { hit }) => (hit.walled ? "—" : hit.openMatters) },
              {
                title: t("conflicts.practiceAreas"),
                key: "areas",
                render: (_, { hit }) => (hit.walled ? "—" : hit.practiceAreas.map((a) => <Tag key={a}>{t(`conflicts.areas.${a}`)}</Tag>)),
              },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}

export const conflictsScreen: Screen = {
  key: "conflicts",
  icon: <SafetyCertificateOutlined />,
  order: 25,
  group: "business",
  permission: "conflict.check",
  component: ConflictsPage,
};
