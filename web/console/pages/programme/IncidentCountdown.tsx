import { Card, Empty, Space, Tag, Timeline, Typography } from "antd";
import { useEffect, useMemo, useState } from "react";
import { useLabels } from "./codes";

/** The part of an incident's duty (GET /incidents/{id}) the countdown reads. */
export interface CountdownDuty {
  id: string;
  regime: string;
  recipient: string;
  dueAt: string;
  status: string;
  doneAt: string | null;
  /** Time left when the server answered (negative once late). */
  remainingMs: number;
}

const MINUTE = 60_000;

/**
 * The incident's notification deadlines (regulator, individuals …) as a timeline, soonest first,
 * each with a live countdown; overdue ones in red, times in the firm's time zone. The clock is the
 * server's: the offset between its answer (`dueAt − remainingMs`) and this browser's clock is
 * kept, so a wrong clock on the laptop does not move a legal deadline.
 */
export function IncidentCountdown({ duties }: { duties: readonly CountdownDuty[] }) {
  const { t, code, time } = useLabels();
  const skew = useMemo(() => (duties[0] ? Date.parse(duties[0].dueAt) - duties[0].remainingMs - Date.now() : 0), [duties]);
  const [now, setNow] = useState(() => Date.now() + skew);
  useEffect(() => {
    setNow(Date.now() + skew);
    const timer = setInterval(() => setNow(Date.now() + skew), 15_000);
    return () => clearInterval(timer);
  }, [skew]);

  const sorted = [...duties].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const span = (ms: number) => {
    const minutes = Math.floor(Math.abs(ms) / MINUTE);
    return { hours: Math.floor(minutes / 60), minutes: minutes % 60 };
  };

  return (
    <Card title={t("incidents.countdown.title")} style={{ marginBottom: 16 }} data-testid="incident-countdown">
      {sorted.length === 0 ? (
        <Empty description={t("incidents.duty.none")} />
      ) : (
        <Timeline
          items={sorted.map((d) => {
            const left = Date.parse(d.dueAt) - now;
            const done = d.status === "done";
            const late = !done && left < 0;
            return {
              key: d.id,
              color: done ? "green" : late ? "red" : left < 24 * 60 * MINUTE ? "orange" : "blue",
              children: (
                <Space orientation="vertical" size={0} data-testid="countdown-item">
                  <strong>
                    {code("incidents.regime", d.regime)} · {code("incidents.recipient", d.recipient)}
                  </strong>
                  <Typography.Text type="secondary">{t("incidents.countdown.due", { time: time(d.dueAt) })}</Typography.Text>
                  {done ? (
                    <Tag color="green">{t("incidents.countdown.done", { time: time(d.doneAt) })}</Tag>
                  ) : (
                    // role="timer": read on request, not announced at every tick.
                    <Tag color={late ? "red" : "gold"} role="timer" data-testid={late ? "countdown-overdue" : "countdown-left"}>
                      {t(late ? "incidents.countdown.overdue" : "incidents.countdown.left", span(left))}
                    </Tag>
                  )}
                </Space>
              ),
            };
          })}
        />
      )}
    </Card>
  );
}
