import { App, Button, Card, Checkbox, Descriptions, Form, Input, Popconfirm, Select, Space, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { useLoad } from "../../../shared/useLoad";
import type { StaffUser } from "./types";

/** Shapes of GET/PUT /users/{id}/calendar (src/http/routes/staff-calendars/schema.ts). */
interface Span {
  weekday: number;
  start: string;
  end: string;
}
type CalendarException = { date: string; kind: "leave" } | { date: string; kind: "work"; start: string; end: string };
interface CalendarView {
  userId: string;
  calendar: { timeZone: string; hours: Span[]; exceptions: CalendarException[]; updatedAt: string; updatedBy: string } | null;
}
interface CalendarForm {
  timeZone: string;
  weekdays: number[];
  start: string;
  end: string;
  leave: string[];
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
const ZONES = ["Asia/Shanghai", "Asia/Hong_Kong", "Asia/Singapore", "Asia/Tokyo", "Europe/Berlin", "Europe/London", "America/New_York", "UTC"];
const CLOCK = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The "Working hours" card of the users tab: a user's own time zone, weekly hours and leave days,
 * which the off-hours detection rule judges their access by; without one, the firm-wide hours apply.
 * The form sets one span for the chosen weekdays (as `custodia user calendar --hours` does); a
 * calendar with several spans per day (from the API) is shown in full and replaced on save.
 */
export function WorkingHoursCard({ user, onClose }: { user: StaffUser; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CalendarForm>();
  const [saving, setSaving] = useState(false);
  const path = `/users/${encodeURIComponent(user.id)}/calendar`;
  const current = useLoad(() => api.get<CalendarView>(path), [path]);
  const calendar = current.data?.calendar ?? null;

  useEffect(() => {
    if (current.loading) return;
    const first = calendar?.hours[0];
    form.setFieldsValue({
      timeZone: calendar?.timeZone ?? "Asia/Shanghai",
      weekdays: calendar ? [...new Set(calendar.hours.map((h) => h.weekday))] : [1, 2, 3, 4, 5],
      start: first?.start ?? "09:00",
      end: first?.end ?? "18:00",
      leave: calendar?.exceptions.filter((e) => e.kind === "leave").map((e) => e.date) ?? [],
    });
  }, [calendar, current.loading, form]);

  const save = async (values: CalendarForm) => {
    setSaving(true);
    try {
      // Extra working days set through the API or CLI are kept; leave days come from the form.
      const extra = calendar?.exceptions.filter((e) => e.kind === "work") ?? [];
      await api.put<CalendarView>(path, {
        timeZone: values.timeZone,
        hours: [...values.weekdays].sort().map((weekday) => ({ weekday, start: values.start, end: values.end })),
        exceptions: [...values.leave.map((date) => ({ date, kind: "leave" as const })), ...extra],
      });
      message.success(t("admin.users.calendar.saved", { name: user.displayName }));
      current.reload();
    } catch (e) {
      if (!showFieldErrors(form, e)) message.error(messageOf(e));
    } finally {
      setSaving(false);
    }
  };

  const clear = async () => {
    try {
      await api.delete<CalendarView>(path);
      message.success(t("admin.users.calendar.cleared", { name: user.displayName }));
      current.reload();
    } catch (e) {
      message.error(messageOf(e));
    }
  };

  const spans = (calendar?.hours ?? []).map((h) => `${t(`admin.users.calendar.weekday.${h.weekday}`)} ${h.start}–${h.end}`).join(", ");
  const leaveDays = (calendar?.exceptions ?? []).flatMap((e) => (e.kind === "leave" ? [e.date] : []));
  const extraDays = (calendar?.exceptions ?? []).flatMap((e) => (e.kind === "work" ? [`${e.date} ${e.start}–${e.end}`] : []));

  return (
    <Card
      title={t("admin.users.calendar.title", { name: user.displayName })}
      extra={
        <Button size="small" onClick={onClose}>
          {t("admin.users.calendar.close")}
        </Button>
      }
      style={{ marginTop: 16 }}
      loading={current.loading}
      data-testid="working-hours-card"
    >
      {current.error !== null && <Typography.Paragraph type="danger">{messageOf(current.error)}</Typography.Paragraph>}
      <Typography.Paragraph type="secondary">{t("admin.users.calendar.help")}</Typography.Paragraph>
      {calendar ? (
        <Descriptions size="small" column={1} style={{ marginBottom: 16 }} data-testid="working-hours-current">
          <Descriptions.Item label={t("admin.users.calendar.timeZone")}>{calendar.timeZone}</Descriptions.Item>
          <Descriptions.Item label={t("admin.users.calendar.hours")}>{spans || t("admin.users.calendar.none")}</Descriptions.Item>
          {leaveDays.length > 0 && <Descriptions.Item label={t("admin.users.calendar.leave")}>{leaveDays.join(", ")}</Descriptions.Item>}
          {extraDays.length > 0 && <Descriptions.Item label={t("admin.users.calendar.extra")}>{extraDays.join(", ")}</Descriptions.Item>}
          <Descriptions.Item label={t("admin.users.calendar.updatedAt")}>{formatTime(calendar.updatedAt, i18n.language)}</Descriptions.Item>
        </Descriptions>
      ) : (
        <Typography.Paragraph data-testid="working-hours-firm">{t("admin.users.calendar.firmDefault")}</Typography.Paragraph>
      )}
      <Form<CalendarForm> form={form} layout="vertical" onFinish={save}>
        <Form.Item name="timeZone" label={t("admin.users.calendar.timeZone")} rules={[{ required: true, message: t("common.required") }]}>
          <Select showSearch options={ZONES.map((z) => ({ value: z, label: z }))} data-testid="calendar-zone" />
        </Form.Item>
        <Form.Item name="weekdays" label={t("admin.users.calendar.weekdays")}>
          <Checkbox.Group options={WEEKDAYS.map((d) => ({ value: d, label: t(`admin.users.calendar.weekday.${d}`) }))} />
        </Form.Item>
        <Space>
          <Form.Item
            name="start"
            label={t("admin.users.calendar.start")}
            rules={[
              { required: true, message: t("common.required") },
              { pattern: CLOCK, message: t("admin.users.calendar.clockFormat") },
            ]}
          >
            <Input style={{ width: 100 }} maxLength={5} data-testid="calendar-start" />
          </Form.Item>
          <Form.Item
            name="end"
            label={t("admin.users.calendar.end")}
            rules={[
              { required: true, message: t("common.required") },
              { pattern: CLOCK, message: t("admin.users.calendar.clockFormat") },
            ]}
          >
            <Input style={{ width: 100 }} maxLength={5} data-testid="calendar-end" />
          </Form.Item>
        </Space>
        <Form.Item
          name="leave"
          label={t("admin.users.calendar.leave")}
          extra={t("admin.users.calendar.leaveHelp")}
          rules={[
            {
              validator: (_, v: string[] | undefined) =>
                (v ?? []).every((d) => DATE.test(d)) ? Promise.resolve() : Promise.reject(new Error(t("admin.users.calendar.dateFormat"))),
            },
          ]}
        >
          <Select mode="tags" tokenSeparators={[",", " "]} open={false} data-testid="calendar-leave" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="calendar-save">
            {t("common.save")}
          </Button>
          {calendar && (
            <Popconfirm title={t("admin.users.calendar.clearConfirm")} onConfirm={clear}>
              <Button danger>{t("admin.users.calendar.clear")}</Button>
            </Popconfirm>
          )}
        </Space>
      </Form>
    </Card>
  );
}
