import { LaptopOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { api, query } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { navigate } from "../../../shared/router";
import { useLoad } from "../../../shared/useLoad";
import { useStaffNames } from "../../../shared/useStaffNames";
import { useSession } from "../../session";
import { useLabels } from "../programme/codes";
import type { Screen } from "../registry";
import { byDate, byText, filterBy, paging } from "../../../shared/tables";

// Mirrors src/governance/devices/device-inputs.ts (the API validates; these only fill the pickers).
const KINDS = ["laptop", "desktop", "phone", "tablet", "removable_media", "email", "cloud_drive", "messaging", "video_conferencing"] as const;
const ENCRYPTION = ["full", "partial", "none", "not_applicable"] as const;
const STATUS_COLOURS: Record<string, string> = { active: "green", lost: "red", retired: "default" };
const ENCRYPTION_COLOURS: Record<string, string> = { full: "green", partial: "orange", none: "red", not_applicable: "default" };

interface Device {
  id: string;
  kind: string;
  label: string;
  ownerId: string;
  encryption: string;
  remoteWipe: boolean;
  checkIntervalDays: number;
  lastCheckedOn: string | null;
  nextCheckOn: string | null;
  checkOverdue: boolean;
  status: string;
  lostOn: string | null;
  incidentId: string | null;
}

const today = () => new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });

function ReportLost({ device, onClose, onDone }: { device: Device | null; onClose: () => void; onDone: () => void }) {
  const { t } = useLabels();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const v = await form.validateFields();
    setError(null);
    try {
      await api.post(`/devices/${device!.id}/lost`, { lostOn: v.lostOn, ...(v.circumstances?.trim() ? { circumstances: v.circumstances.trim() } : {}) });
      message.success(t("devices.lost.done"));
      onDone();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    }
  };
  return (
    <Modal
      open={device !== null}
      title={t("devices.lost.title", { label: device?.label ?? "" })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t("devices.lost.submit")}
      okButtonProps={{ danger: true }}
      cancelText={t("common.cancel")}
      destroyOnHidden
      forceRender
    >
      <Typography.Paragraph type="secondary">{t("devices.lost.hint")}</Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} name="device-lost" layout="vertical" initialValues={{ lostOn: today() }}>
        <Form.Item name="lostOn" label={t("devices.lost.lostOn")} rules={[{ required: true, message: t("common.required") }]}>
          <Input type="date" max={today()} />
        </Form.Item>
        <Form.Item name="circumstances" label={t("devices.lost.circumstances")} extra={t("devices.lost.sealed")}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AddDevice({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const { t, code } = useLabels();
  const staff = useStaffNames();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const v = await form.validateFields();
    setError(null);
    try {
      await api.post("/devices", {
        kind: v.kind,
        label: v.label,
        ownerId: v.ownerId,
        encryption: v.encryption,
        remoteWipe: Boolean(v.remoteWipe),
        checkIntervalDays: v.checkIntervalDays,
        ...(v.lastCheckedOn ? { lastCheckedOn: v.lastCheckedOn } : {}),
      });
      onDone();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    }
  };
  return (
    <Modal
      open={open}
      title={t("devices.add.title")}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t("common.submit")}
      cancelText={t("common.cancel")}
      destroyOnHidden
      forceRender
      width={640}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} name="device-add" layout="vertical" initialValues={{ checkIntervalDays: 90, remoteWipe: false }}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="kind" label={t("devices.fields.kind")} rules={[{ required: true, message: t("common.required") }]}>
              <Select options={KINDS.map((k) => ({ value: k, label: code("devices.kind", k) }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="label"
              label={t("devices.fields.label")}
              extra={t("devices.add.labelHint")}
              rules={[{ required: true, message: t("common.required") }]}
            >
              <Input maxLength={120} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="ownerId" label={t("devices.fields.owner")} rules={[{ required: true, message: t("common.required") }]}>
          <Select showSearch optionFilterProp="label" options={staff.options((e) => `${e.displayName} · ${t(`roles.${e.role}`)}`)} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="encryption" label={t("devices.fields.encryption")} rules={[{ required: true, message: t("common.required") }]}>
              <Select options={ENCRYPTION.map((k) => ({ value: k, label: code("devices.encryption", k) }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="remoteWipe" label={t("devices.fields.remoteWipe")} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="checkIntervalDays" label={t("devices.fields.checkInterval")} rules={[{ required: true, message: t("common.required") }]}>
              <InputNumber min={7} max={730} style={{ width: "100%" }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="lastCheckedOn" label={t("devices.fields.lastCheckedOn")}>
              <Input type="date" max={today()} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

function CheckDevice({ device, onClose, onDone }: { device: Device | null; onClose: () => void; onDone: () => void }) {
  const { t, code } = useLabels();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const v = await form.validateFields();
    setError(null);
    try {
      await api.post(`/devices/${device!.id}/checks`, { encryption: v.encryption, remoteWipe: Boolean(v.remoteWipe), checkedOn: v.checkedOn });
      onDone();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    }
  };
  return (
    <Modal
      open={device !== null}
      title={t("devices.check.title", { label: device?.label ?? "" })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t("common.submit")}
      cancelText={t("common.cancel")}
      destroyOnHidden
      forceRender
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        name="device-check"
        layout="vertical"
        initialValues={device ? { encryption: device.encryption, remoteWipe: device.remoteWipe, checkedOn: today() } : {}}
      >
        <Form.Item name="checkedOn" label={t("devices.check.on")} rules={[{ required: true, message: t("common.required") }]}>
          <Input type="date" max={today()} />
        </Form.Item>
        <Form.Item name="encryption" label={t("devices.fields.encryption")} rules={[{ required: true, message: t("common.required") }]}>
          <Select options={ENCRYPTION.map((k) => ({ value: k, label: code("devices.encryption", k) }))} />
        </Form.Item>
        <Form.Item name="remoteWipe" label={t("devices.fields.remoteWipe")} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DeviceTable({ mine }: { mine: boolean }) {
  const { t, code, date } = useLabels();
  const { me } = useSession();
  const staff = useStaffNames();
  const manage = me.permissions.includes("device.manage");
  const [overdue, setOverdue] = useState(false);
  const [status, setStatus] = useState<string | undefined>(mine ? undefined : "active");
  const [adding, setAdding] = useState(false);
  const [losing, setLosing] = useState<Device | null>(null);
  const [checking, setChecking] = useState<Device | null>(null);
  const list = useLoad(
    () => api.get<{ items: Device[] }>(mine ? "/devices/mine" : `/devices${query({ overdue: overdue ? "true" : undefined, status })}`),
    [mine, overdue, status],
  );
  const rows = list.data?.items ?? [];
  // Reporting a loss: one's own device, or any device for compliance (which runs incidents).
  const mayReport = (d: Device) => d.status === "active" && (d.ownerId === me.userId || me.permissions.includes("incident.manage"));
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        {!mine && (
          <>
            <Select
              allowClear
              style={{ width: 160 }}
              placeholder={t("devices.allStatuses")}
              aria-label={t("common.status")}
              value={status}
              onChange={setStatus}
              options={["active", "lost", "retired"].map((s) => ({ value: s, label: code("devices.status", s) }))}
            />
            <Checkbox checked={overdue} onChange={(e) => setOverdue(e.target.checked)} data-testid="devices-overdue">
              {t("devices.overdueOnly")}
            </Checkbox>
          </>
        )}
        <Button onClick={list.reload}>{t("common.refresh")}</Button>
        {!mine && manage && (
          <Button type="primary" onClick={() => setAdding(true)}>
            {t("devices.add.open")}
          </Button>
        )}
      </Space>
      {!!list.error && <Alert type="error" showIcon message={messageOf(list.error)} style={{ marginBottom: 16 }} />}
      <Table<Device>
        rowKey="id"
        size="small"
        data-testid={mine ? "my-devices-table" : "devices-table"}
        loading={list.loading}
        dataSource={rows}
        pagination={paging({ pageSize: 50 })}
        locale={{ emptyText: <Empty description={t(mine ? "devices.noneMine" : "devices.none")} /> }}
        columns={[
          {
            title: t("devices.fields.kind"),
            dataIndex: "kind",
            ...filterBy(
              rows,
              (d) => d.kind,
              (c) => code("devices.kind", c),
            ),
            render: (v: string) => code("devices.kind", v),
          },
          { title: t("devices.fields.label"), dataIndex: "label", sorter: byText((d) => d.label) },
          ...(mine
            ? []
            : [
                {
                  title: t("devices.fields.owner"),
                  dataIndex: "ownerId",
                  sorter: byText((d: Device) => staff.name(d.ownerId)),
                  render: (v: string) => staff.name(v),
                },
              ]),
          {
            title: t("devices.fields.encryption"),
            dataIndex: "encryption",
            ...filterBy(
              rows,
              (d) => d.encryption,
              (c) => code("devices.encryption", c),
            ),
            render: (v: string) => <Tag color={ENCRYPTION_COLOURS[v]}>{code("devices.encryption", v)}</Tag>,
          },
          { title: t("devices.fields.remoteWipe"), dataIndex: "remoteWipe", render: (v: boolean) => (v ? t("devices.yes") : t("devices.no")) },
          {
            title: t("devices.fields.lastCheckedOn"),
            key: "check",
            sorter: byDate((d) => d.lastCheckedOn),
            render: (_, d) => (
              <Space size={4}>
                {d.lastCheckedOn ? date(d.lastCheckedOn) : t("devices.neverChecked")}
                {d.checkOverdue && <Tag color="red">{t("devices.checkOverdue")}</Tag>}
              </Space>
            ),
          },
          {
            title: t("devices.fields.status"),
            key: "status",
            ...filterBy(
              rows,
              (d) => d.status,
              (c) => code("devices.status", c),
            ),
            render: (_, d) => (
              <Space size={4}>
                <Tag color={STATUS_COLOURS[d.status]}>{code("devices.status", d.status)}</Tag>
                {d.incidentId && me.permissions.includes("incident.read") && (
                  <Typography.Link onClick={() => navigate(`incidents/${d.incidentId}`)}>{t("devices.incident")}</Typography.Link>
                )}
              </Space>
            ),
          },
          {
            title: "",
            key: "actions",
            render: (_, d) => (
              <Space size={4}>
                {!mine && manage && d.status === "active" && (
                  <Button size="small" onClick={() => setChecking(d)}>
                    {t("devices.check.open")}
                  </Button>
                )}
                {mayReport(d) && (
                  <Button size="small" danger onClick={() => setLosing(d)}>
                    {t("devices.lost.open")}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <AddDevice
        open={adding}
        onClose={() => setAdding(false)}
        onDone={() => {
          setAdding(false);
          list.reload();
        }}
      />
      <CheckDevice
        device={checking}
        onClose={() => setChecking(null)}
        onDone={() => {
          setChecking(null);
          list.reload();
        }}
      />
      <ReportLost
        device={losing}
        onClose={() => setLosing(null)}
        onDone={() => {
          setLosing(null);
          list.reload();
        }}
      />
    </>
  );
}

function DevicesPage({ params }: { params: string[] }) {
  const { t } = useLabels();
  const { me } = useSession();
  const register = me.permissions.includes("device.read");
  const tab = register && params[0] !== "mine" ? "register" : "mine";
  return (
    <Card title={t("devices.title")}>
      <Typography.Paragraph type="secondary">{t("devices.intro")}</Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={(k) => navigate(`devices/${k}`)}
        items={[
          ...(register ? [{ key: "register", label: t("devices.tabs.register"), children: <DeviceTable mine={false} /> }] : []),
          { key: "mine", label: t("devices.tabs.mine"), children: <DeviceTable mine /> },
        ]}
      />
    </Card>
  );
}

/** Everyone sees their own devices (and reports a loss); the register is for `device.read`. */
export const devicesScreen: Screen = { key: "devices", icon: <LaptopOutlined />, order: 60, group: "compliance", component: DevicesPage };
