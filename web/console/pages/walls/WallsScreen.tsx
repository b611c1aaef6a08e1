import { SafetyOutlined } from "@ant-design/icons";
import { Alert, App as AntApp, Button, Card, Descriptions, Form, Input, Modal, Result, Select, Space, Spin, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, query } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { ClientPicker, MatterPicker, RecordChip } from "../../../shared/pickers";
import { UUID } from "../../../shared/ids";
import { LoadMore } from "../../../shared/LoadMore";
import { navigate } from "../../../shared/router";
import { StaffName, StaffNames, StaffPicker } from "../../../shared/Staff";
import { useCursorList, type CursorPage } from "../../../shared/useCursorList";
import { useLoad } from "../../../shared/useLoad";
import type { Screen } from "../registry";
import { openableRow } from "../../../shared/tables";

const WALL_REASONS = ["conflict_of_interest", "lateral_hire", "confidential_transaction", "former_client", "regulatory", "other"] as const;
const WALL_REFERENCE = /^[A-Za-z0-9._/-]{1,64}$/;
/** Ids typed or pasted into a tags field: trimmed, de-duplicated, empty ones dropped. */
const idList = (value: unknown): string[] => (Array.isArray(value) ? [...new Set(value.map((v) => String(v).trim()).filter(Boolean))] : []);

interface Wall {
  id: string;
  reason: string;
  reference: string | null;
  ownerId: string;
  clientIds: string[];
  matterIds: string[];
  screenedUserIds: string[];
  createdAt: string;
  liftedAt?: string | null;
}
/** A wall as GET /walls/{id} and the list return it: with what the caller may do with it. */
interface WallRecord extends Wall {
  abilities: { lift: boolean };
}

/** Ethical walls (信息隔离墙): the list, one wall, and raising a new one. */
function WallsPage({ params }: { params: string[] }) {
  const [first, second] = params;
  if (first && UUID.test(first)) return <WallDetail id={first} />;
  return <WallList raiseFor={first === "new" ? { matterId: second && UUID.test(second) ? second : undefined } : undefined} />;
}

function IdTags({ ids }: { ids: string[] }) {
  const { t } = useTranslation();
  if (ids.length === 0) return <Typography.Text type="secondary">{t("common.none")}</Typography.Text>;
  return (
    <Space wrap size={[4, 4]}>
      {ids.map((id) => (
        <RecordChip key={id} kind="client" id={id} />
      ))}
    </Space>
  );
}

function WallList({ raiseFor }: { raiseFor: { matterId: string | undefined } | undefined }) {
  const { t, i18n } = useTranslation();
  const list = useCursorList((cursor) => api.get<CursorPage<Wall>>(`/walls${query({ cursor, limit: 20 })}`), []);
  const [raising, setRaising] = useState(raiseFor !== undefined);
  return (
    <Card
      title={t("walls.list.title")}
      extra={
        <Button type="primary" onClick={() => setRaising(true)}>
          {t("walls.list.raise")}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t("walls.list.help")}</Typography.Paragraph>
      {list.error !== null && <Alert style={{ marginBottom: 16 }} type="error" showIcon title={list.error} />}
      <Table<Wall>
        data-testid="wall-list"
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        locale={{ emptyText: t("walls.list.empty") }}
        onRow={openableRow((row) => navigate(`walls/${row.id}`))}
        columns={[
          { title: t("walls.reason"), dataIndex: "reason", render: (v: string, row) => <a href={`#/walls/${row.id}`}>{t(`walls.reasons.${v}`)}</a> },
          { title: t("walls.reference"), dataIndex: "reference", render: (v: string | null) => v ?? "—" },
          {
            title: t("walls.protected"),
            key: "sides",
            render: (_, row) => t("walls.sidesCount", { clients: row.clientIds.length, matters: row.matterIds.length }),
          },
          { title: t("walls.screened"), key: "screened", render: (_, row) => <StaffNames ids={row.screenedUserIds} /> },
          { title: t("walls.owner"), dataIndex: "ownerId", render: (v: string) => <StaffName id={v} /> },
          { title: t("walls.createdAt"), dataIndex: "createdAt", render: (v: string) => formatTime(v, i18n.language) },
          {
            title: t("walls.statusLabel"),
            dataIndex: "liftedAt",
            render: (v: string | null | undefined) => (v ? <Tag>{t("walls.lifted")}</Tag> : <Tag color="red">{t("walls.active")}</Tag>),
          },
        ]}
      />
      <LoadMore list={list} />
      <RaiseWall
        open={raising}
        matterId={raiseFor?.matterId}
        onClose={() => {
          setRaising(false);
          if (raiseFor) navigate("walls");
        }}
        onRaised={(wall) => {
          setRaising(false);
          navigate(`walls/${wall.id}`);
        }}
      />
    </Card>
  );
}

interface RaiseForm {
  reason: string;
  reference?: string;
  ownerId?: string;
  clientIds?: string[];
  matterIds?: string[];
  screenedUserIds: string[];
}

function RaiseWall({
  open,
  matterId,
  onClose,
  onRaised,
}: {
  open: boolean;
  matterId: string | undefined;
  onClose: () => void;
  onRaised: (wall: Wall) => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<RaiseForm>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: RaiseForm) => {
    setBusy(true);
    setError(null);
    try {
      const body = {
        reason: v.reason,
        ...(v.reference?.trim() ? { reference: v.reference.trim() } : {}),
        ...(v.ownerId ? { ownerId: v.ownerId } : {}),
        clientIds: idList(v.clientIds),
        matterIds: idList(v.matterIds),
        screenedUserIds: idList(v.screenedUserIds),
      };
      const wall = await api.post<Wall>("/walls", body);
      void message.success(t("walls.raise.done"));
      form.resetFields();
      onRaised(wall);
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const uuidList = {
    validator: async (_: unknown, value: unknown) => {
      if (idList(value).some((id) => !UUID.test(id))) throw new Error(t("walls.raise.idFormat"));
    },
  };
  return (
    <Modal
      open={open}
      title={t("walls.raise.title")}
      okText={t("walls.raise.submit")}
      okButtonProps={{ danger: true, loading: busy }}
      cancelText={t("common.cancel")}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={640}
      destroyOnHidden
    >
      <Alert style={{ marginBottom: 16 }} type="warning" showIcon title={t("walls.raise.effect")} />
      {error && <Alert data-testid="wall-error" style={{ marginBottom: 16 }} type="error" showIcon title={error} />}
      <Form<RaiseForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ reason: "conflict_of_interest", matterIds: matterId ? [matterId] : [] }}
        onFinish={submit}
      >
        <Form.Item name="reason" label={t("walls.reason")} rules={[{ required: true, message: t("common.required") }]}>
          <Select options={WALL_REASONS.map((r) => ({ value: r, label: t(`walls.reasons.${r}`) }))} />
        </Form.Item>
        <Form.Item
          name="reference"
          label={t("walls.reference")}
          extra={t("walls.raise.referenceHelp")}
          rules={[{ pattern: WALL_REFERENCE, message: t("walls.raise.referenceFormat") }]}
        >
          <Input placeholder="CONF-2026-017" />
        </Form.Item>
        <Form.Item name="clientIds" label={t("walls.raise.clients")} rules={[uuidList]}>
          <ClientPicker multiple />
        </Form.Item>
        <Form.Item name="matterIds" label={t("walls.raise.matters")} extra={t("walls.raise.mattersHelp")} rules={[uuidList]}>
          <MatterPicker multiple />
        </Form.Item>
        <Form.Item
          name="screenedUserIds"
          label={t("walls.screened")}
          extra={t("walls.raise.screenedHelp")}
          rules={[{ required: true, message: t("common.required") }]}
        >
          <StaffPicker multiple />
        </Form.Item>
        <Form.Item name="ownerId" label={t("walls.owner")} extra={t("walls.raise.ownerHelp")}>
          <StaffPicker allowClear eligibleAs="wallOwner" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function WallDetail({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const wall = useLoad(() => api.get<WallRecord>(`/walls/${id}`), [id]);
  const [lifting, setLifting] = useState(false);
  if (wall.loading) return <Spin />;
  if (!wall.data)
    return (
      <Result
        status="warning"
        title={t("walls.detail.unavailable")}
        subTitle={messageOf(wall.error)}
        extra={<Button onClick={() => navigate("walls")}>{t("walls.backToList")}</Button>}
      />
    );
  const w = wall.data;
  return (
    <Card
      title={
        <Space>
          {t("walls.detail.title")}
          <Tag color="red">{t(`walls.reasons.${w.reason}`)}</Tag>
          {w.liftedAt ? <Tag>{t("walls.lifted")}</Tag> : <Tag color="red">{t("walls.active")}</Tag>}
        </Space>
      }
      extra={
        <Space>
          {w.abilities.lift && (
            <Button danger onClick={() => setLifting(true)}>
              {t("walls.lift.button")}
            </Button>
          )}
          <Button onClick={() => navigate("walls")}>{t("walls.backToList")}</Button>
        </Space>
      }
    >
      <LiftWallModal
        id={w.id}
        open={lifting}
        onClose={() => setLifting(false)}
        onLifted={() => {
          setLifting(false);
          wall.reload();
        }}
      />
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label={t("walls.reason")}>{t(`walls.reasons.${w.reason}`)}</Descriptions.Item>
        <Descriptions.Item label={t("walls.reference")}>{w.reference ?? "—"}</Descriptions.Item>
        <Descriptions.Item label={t("walls.owner")}>
          <StaffName id={w.ownerId} />
        </Descriptions.Item>
        <Descriptions.Item label={t("walls.raise.clients")}>
          <IdTags ids={w.clientIds} />
        </Descriptions.Item>
        <Descriptions.Item label={t("walls.raise.matters")}>
          {w.matterIds.length ? (
            <Space wrap>
              {w.matterIds.map((m) => (
                <RecordChip key={m} kind="matter" id={m} />
              ))}
            </Space>
          ) : (
            <Typography.Text type="secondary">{t("common.none")}</Typography.Text>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t("walls.screened")}>
          <span data-testid="wall-screened">
            <StaffNames ids={w.screenedUserIds} />
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t("walls.createdAt")}>{formatTime(w.createdAt, i18n.language)}</Descriptions.Item>
        {w.liftedAt && (
          <Descriptions.Item label={t("walls.lift.liftedAt")}>
            <span data-testid="wall-lifted-at">{formatTime(w.liftedAt, i18n.language)}</span>
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}

const LIFT_REASONS = ["matter_concluded", "conflict_waived", "raised_in_error", "screened_user_left"] as const;

/** Lifting needs a reason code (and optionally a file number); offered when the wall's abilities allow it. */
function LiftWallModal({ id, open, onClose, onLifted }: { id: string; open: boolean; onClose: () => void; onLifted: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const submit = async (values: { reason: string; reference?: string }) => {
    setError(null);
    try {
      await api.post(`/walls/${id}/lift`, { reason: values.reason, ...(values.reference ? { reference: values.reference } : {}) });
      onLifted();
    } catch (e) {
      if (!showFieldErrors(form, e)) setError(messageOf(e));
    }
  };
  return (
    <Modal
      open={open}
      title={t("walls.lift.title")}
      okText={t("walls.lift.button")}
      okButtonProps={{ danger: true }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t("walls.lift.help")}</Typography.Paragraph>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="reason" label={t("walls.lift.reason")} rules={[{ required: true, message: t("common.required") }]}>
          <Select options={LIFT_REASONS.map((r) => ({ value: r, label: t(`walls.lift.reasons.${r}`) }))} />
        </Form.Item>
        <Form.Item name="reference" label={t("walls.reference")} rules={[{ pattern: WALL_REFERENCE, message: t("walls.raise.referenceFormat") }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export const wallsScreen: Screen = { key: "walls", icon: <SafetyOutlined />, order: 35, group: "compliance", permission: "wall.manage", component: WallsPage };
