import { Alert, Badge, Button, Card, Col, Flex, List, Row, Skeleton, Space, Tag, Typography } from "antd";
import type { ReactNode } from "react";
import { messageOf } from "../../../shared/errors";
import { navigate } from "../../../shared/router";
import { StaffName } from "../../../shared/Staff";
import { useSession } from "../../session";
import { useLabels } from "../programme/codes";
import { screensFor } from "../registry";
import { pathOf, type Queue, type QueueKey, screenOf, useWork, type WorkItem } from "./work";

type Labels = ReturnType<typeof useLabels>;

/** How each queue names its items: references, codes in words, staff by name; never an id. */
function describe(queue: QueueKey, item: WorkItem, { code, lang }: Labels): { label: string; who?: ReactNode; severity?: string } {
  const who = item.staffId ? <StaffName id={item.staffId} /> : undefined;
  const severity = item.severity ? code("incidents.severity", item.severity) : undefined;
  const joined = (...parts: (string | null)[]) => parts.filter(Boolean).join(" · ");
  switch (queue) {
    case "myMatters":
      return { label: joined(item.reference, code("matters.area", item.kind)) };
    case "approvalsToDecide":
      return { label: code("approvals.kind", item.kind), who };
    case "myReviewItems":
      return { label: joined(code("access-reviews.kind", item.kind), item.reference), who };
    case "myTraining":
      return { label: (lang === "en" ? item.title?.en : item.title?.zh) ?? "—" };
    case "requestsDue":
      return { label: joined(item.reference, code("requests.type", item.kind)) };
    case "newAlerts":
      return { label: code("incidents.rule", item.kind), who, ...(severity ? { severity } : {}) };
    case "breakGlassToReview":
      return { label: code("break-glass.justification", item.kind), who };
    case "incidentDuties":
      return { label: joined(item.reference, code("incidents.regime", item.kind)), ...(severity ? { severity } : {}) };
  }
}

/** A due day (YYYY-MM-DD) as a date, an instant as a time, both in the firm's time zone. */
const when = (at: string | null, { date, time }: Labels) => (!at ? null : at.length === 10 ? date(`${at}T12:00:00+08:00`) : time(at));

function QueueCard({ queue, opens }: { queue: Queue; opens: ReadonlySet<string> }) {
  const labels = useLabels();
  const { t } = labels;
  const screen = screenOf(queue.queue);
  const canOpen = opens.has(screen);
  return (
    <Card
      size="small"
      data-testid={`work-${queue.queue}`}
      title={
        <Space>
          {t(`work.queues.${queue.queue}`)}
          <Badge count={queue.count} showZero color={queue.count ? (queue.overdue ? "#cf1322" : "#1668dc") : "#8c8c8c"} />
        </Space>
      }
      extra={
        canOpen && (
          <Button type="link" size="small" onClick={() => navigate(screen)}>
            {t("work.openAll")}
          </Button>
        )
      }
    >
      {queue.overdue > 0 && (
        <Typography.Paragraph type="danger" style={{ marginBottom: 8 }}>
          {t("work.overdueCount", { count: queue.overdue })}
        </Typography.Paragraph>
      )}
      <List
        size="small"
        dataSource={queue.items}
        locale={{ emptyText: <Typography.Text type="secondary">{t("work.empty")}</Typography.Text> }}
        renderItem={(item) => {
          const d = describe(queue.queue, item, labels);
          const at = when(item.at, labels);
          return (
            <List.Item key={item.id} style={{ paddingInline: 0 }}>
              <Flex vertical align="flex-start" gap={2} style={{ minWidth: 0 }}>
                {canOpen ? (
                  <Button
                    type="link"
                    size="small"
                    style={{ padding: 0, height: "auto", textAlign: "start" }}
                    onClick={() => navigate(pathOf(queue.queue, item))}
                    data-testid="work-item"
                  >
                    {d.label}
                  </Button>
                ) : (
                  <Typography.Text>{d.label}</Typography.Text>
                )}
                <Space size={6} wrap>
                  {d.who}
                  {d.severity && <Tag>{d.severity}</Tag>}
                  {at && <Typography.Text type="secondary">{at}</Typography.Text>}
                  {item.overdue && <Tag color="red">{t("work.overdue")}</Tag>}
                </Space>
              </Flex>
            </List.Item>
          );
        }}
      />
      {queue.count > queue.items.length && <Typography.Text type="secondary">{t("work.more", { count: queue.count - queue.items.length })}</Typography.Text>}
    </Card>
  );
}

/** 我的待办 / My work: every queue the server gives the caller, each item opening its record. */
export function MyWork() {
  const { t } = useLabels();
  const { me } = useSession();
  const { queues, error, reload } = useWork();
  const opens = new Set(screensFor(me.permissions).map((s) => s.key));
  return (
    <section aria-labelledby="my-work-title" data-testid="my-work">
      <Typography.Title level={3} id="my-work-title" style={{ marginTop: 0 }}>
        {t("work.title")}
      </Typography.Title>
      {error && !queues ? (
        <Alert
          type="error"
          showIcon
          title={t("work.loadFailed")}
          description={messageOf(error)}
          action={<Button onClick={reload}>{t("common.refresh")}</Button>}
        />
      ) : !queues ? (
        <Skeleton active />
      ) : (
        <Row gutter={[16, 16]}>
          {queues.map((q) => (
            <Col xs={24} md={12} xl={8} key={q.queue}>
              <QueueCard queue={q} opens={opens} />
            </Col>
          ))}
        </Row>
      )}
    </section>
  );
}
