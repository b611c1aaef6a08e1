import { FolderOpenOutlined, PlusOutlined } from "@ant-design/icons";
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Popconfirm,
  Result,
  Segmented,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, query } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { formatTime } from "../../../shared/format";
import { ClientPicker, RecordChip } from "../../../shared/pickers";
import { UUID } from "../../../shared/ids";
import { LoadMore } from "../../../shared/LoadMore";
import { navigate } from "../../../shared/router";
import { StaffName, StaffPicker } from "../../../shared/Staff";
import { useCursorList, type CursorPage } from "../../../shared/useCursorList";
import { useLoad } from "../../../shared/useLoad";
import { useStaffNames } from "../../../shared/useStaffNames";
import { useSession } from "../../session";
import { FilesTab } from "../files/FilesTab";
import type { Screen } from "../registry";
import { openableRow, paging } from "../../../shared/tables";

const PRACTICE_AREAS = ["litigation", "corporate", "labour", "ip", "family", "criminal", "tax", "other"] as const;
const MATTER_ROLES = ["lead", "member", "observer"] as const;
type MatterRole = (typeof MATTER_ROLES)[number];
/** Year, a short category in any script, a serial: `2026-民-0001` (the API's MATTER_NUMBER). */
const MATTER_NUMBER = /^[0-9]{4}-[\p{L}]{1,10}-[0-9]{1,8}$/u;

interface MatterListItem {
  id: string;
  number: string;
  title: string | null;
  practiceArea: string;
  status: "open" | "closed";
  clientId: string;
  responsiblePartnerId: string;
  myRole: MatterRole | null;
  createdAt: string;
}
interface Member {
  userId: string;
  role: MatterRole;
  addedAt: string;
}
/** What the caller may do with one matter (MatterAbilitiesSchema), returned with the matter. */
interface MatterAbilities {
  read: boolean;
  manageTeam: boolean;
  close: boolean;
  raiseWall: boolean;
}
interface Matter {
  id: string;
  clientId: string;
  number: string;
  title: string | null;
  practiceArea: string;
  status: "open" | "closed";
  responsiblePartnerId: string;
  team: Member[];
  createdAt: string;
  closedAt: string | null;
  abilities: MatterAbilities;
}

/** Matters (案件): the list, one matter with its team, and opening a new one for a client. */
function MattersPage({ params }: { params: string[] }) {
  const [first, second] = params;
  if (first === "new") return <NewMatter clientId={second && UUID.test(second) ? second : undefined} />;
  if (first && UUID.test(first)) return <MatterDetail id={first} />;
  return <MatterList />;
}

function StatusTag({ status }: { status: "open" | "closed" }) {
  const { t } = useTranslation();
  return <Tag color={status === "open" ? "green" : "default"}>{t(`matters.status.${status}`)}</Tag>;
}

function Title({ title }: { title: string | null }) {
  const { t } = useTranslation();
  return title === null ? (
    <Typography.Text type="secondary" italic>
      {t("matters.titleErased")}
    </Typography.Text>
  ) : (
    title
  );
}

function MatterList() {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const [status, setStatus] = useState<"all" | "open" | "closed">("all");
  const list = useCursorList(
    (cursor) =>
      api.get<CursorPage<MatterListItem>>(`/matters${query({ status: status === "all" ? undefined : status, cursor, limit: 20 })}`, { purpose: true }),
    [status],
  );
  return (
    <Card
      title={t("matters.list.title")}
      extra={
        <Space>
          <Segmented
            value={status}
            onChange={(v) => setStatus(v as typeof status)}
            options={[
              { value: "all", label: t("matters.list.all") },
              { value: "open", label: t("matters.status.open") },
              { value: "closed", label: t("matters.status.closed") },
            ]}
          />
          {me.permissions.includes("matter.create") && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate("matters/new")}>
              {t("matters.list.new")}
            </Button>
          )}
        </Space>
      }
    >
      {list.error !== null && <Alert style={{ marginBottom: 16 }} type="error" showIcon title={list.error} />}
      <Table<MatterListItem>
        data-testid="matter-list"
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        locale={{ emptyText: t("matters.list.empty") }}
        onRow={openableRow((row) => navigate(`matters/${row.id}`))}
        columns={[
          { title: t("matters.number"), dataIndex: "number", render: (v: string, row) => <a href={`#/matters/${row.id}`}>{v}</a> },
          { title: t("matters.matterTitle"), dataIndex: "title", render: (v: string | null) => <Title title={v} /> },
          { title: t("matters.practiceArea"), dataIndex: "practiceArea", render: (v: string) => t(`matters.area.${v}`) },
          { title: t("matters.statusLabel"), dataIndex: "status", render: (v: "open" | "closed") => <StatusTag status={v} /> },
          {
            title: t("matters.myRole"),
            dataIndex: "myRole",
            render: (v: MatterRole | null) =>
              v ? <Tag color="blue">{t(`matters.role.${v}`)}</Tag> : <Typography.Text type="secondary">{t("matters.notOnTeam")}</Typography.Text>,
          },
          { title: t("matters.createdAt"), dataIndex: "createdAt", render: (v: string) => formatTime(v, i18n.language) },
        ]}
      />
      <LoadMore list={list} />
    </Card>
  );
}

/** One matter and its team; the actions are the abilities the API returned with it (and with each change). */
function MatterDetail({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const { message } = AntApp.useApp();
  const matter = useLoad(() => api.get<Matter>(`/matters/${id}`, { purpose: true }), [id]);
  const [current, setCurrent] = useState<Matter | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [form] = Form.useForm<{ userId: string; role: MatterRole }>();
  const data = current?.id === id ? current : matter.data;
  const time = (v: string | null) => formatTime(v, i18n.language);

  const run = async (key: string, action: () => Promise<Matter>, done: string) => {
    setBusy(key);
    setActionError(null);
    try {
      setCurrent(await action());
      void message.success(t(done));
      return true;
    } catch (e) {
      setActionError(messageOf(e));
      return false;
    } finally {
      setBusy(null);
    }
  };

  if (matter.loading && !data) return <Spin />;
  if (!data)
    return (
      <Result
        status="warning"
        title={t("matters.detail.unavailable")}
        subTitle={messageOf(matter.error)}
        extra={<Button onClick={() => navigate("matters")}>{t("matters.backToList")}</Button>}
      />
    );
  const open = data.status === "open";
  const may = data.abilities;

  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }}>
      <Card
        title={
          <Space>
            <span data-testid="matter-number">{data.number}</span>
            <StatusTag status={data.status} />
          </Space>
        }
        extra={
          <Space wrap>
            <Button onClick={() => navigate("matters")}>{t("matters.backToList")}</Button>
            {/* Reaching the matter means no wall screens its client: asking is then the firm-level permission. */}
            {me.permissions.includes("approval.request") && (
              <Button onClick={() => navigate(`approvals/new/${data.clientId}/${data.id}`)}>{t("matters.detail.requestApproval")}</Button>
            )}
            {may.raiseWall && <Button onClick={() => navigate(`walls/new/${data.id}`)}>{t("matters.detail.raiseWall")}</Button>}
            {may.close && (
              <Popconfirm
                title={t("matters.detail.closeConfirm")}
                description={t("matters.detail.closeHelp")}
                okButtonProps={{ danger: true }}
                onConfirm={() => run("close", () => api.post<Matter>(`/matters/${id}/close`), "matters.detail.closed")}
              >
                <Button danger loading={busy === "close"}>
                  {t("matters.detail.close")}
                </Button>
              </Popconfirm>
            )}
          </Space>
        }
      >
        {actionError && (
          <Alert
            data-testid="matter-error"
            style={{ marginBottom: 16 }}
            type="error"
            showIcon
            closable
            title={actionError}
            onClose={() => setActionError(null)}
          />
        )}
        <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
          <Descriptions.Item label={t("matters.matterTitle")} span={2}>
            <span data-testid="matter-title">
              <Title title={data.title} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t("matters.practiceArea")}>{t(`matters.area.${data.practiceArea}`)}</Descriptions.Item>
          <Descriptions.Item label={t("matters.statusLabel")}>
            <StatusTag status={data.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t("matters.responsiblePartner")}>
            <span data-testid="matter-partner">
              <StaffName id={data.responsiblePartnerId} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t("matters.client")}>
            <RecordChip kind="client" id={data.clientId} />
          </Descriptions.Item>
          <Descriptions.Item label={t("matters.createdAt")}>{time(data.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t("matters.closedAt")}>{time(data.closedAt)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t("matters.team.title")}>
        <Table<Member>
          data-testid="matter-team"
          rowKey="userId"
          size="small"
          pagination={paging({ quiet: true })}
          dataSource={data.team}
          locale={{ emptyText: t("matters.team.empty") }}
          columns={[
            { title: t("matters.team.user"), dataIndex: "userId", render: (v: string) => <StaffName id={v} /> },
            {
              title: t("matters.team.role"),
              dataIndex: "role",
              render: (v: MatterRole, row) =>
                may.manageTeam ? (
                  <Select<MatterRole>
                    aria-label={t("matters.team.changeRole")}
                    size="small"
                    value={v}
                    style={{ width: 160 }}
                    loading={busy === `role-${row.userId}`}
                    options={MATTER_ROLES.map((r) => ({ value: r, label: t(`matters.role.${r}`) }))}
                    onChange={(role) =>
                      void run(`role-${row.userId}`, () => api.post<Matter>(`/matters/${id}/members`, { userId: row.userId, role }), "matters.team.changed")
                    }
                  />
                ) : (
                  t(`matters.role.${v}`)
                ),
            },
            { title: t("matters.team.addedAt"), dataIndex: "addedAt", render: time },
            {
              title: t("common.actions"),
              key: "actions",
              render: (_, row) =>
                may.manageTeam && (
                  <Popconfirm
                    title={t("matters.team.removeConfirm")}
                    description={t("matters.team.removeHelp")}
                    okButtonProps={{ danger: true }}
                    onConfirm={() =>
                      run(`remove-${row.userId}`, () => api.delete<Matter>(`/matters/${id}/members/${encodeURIComponent(row.userId)}`), "matters.team.removed")
                    }
                  >
                    <Button size="small" danger loading={busy === `remove-${row.userId}`}>
                      {t("matters.team.remove")}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
        {may.manageTeam && (
          <Form
            form={form}
            layout="inline"
            style={{ marginTop: 16 }}
            initialValues={{ role: "member" }}
            onFinish={async (v) => {
              setBusy("add");
              setActionError(null);
              try {
                setCurrent(await api.post<Matter>(`/matters/${id}/members`, { userId: v.userId, role: v.role }));
                void message.success(t("matters.team.added"));
                form.resetFields();
              } catch (e) {
                if (!showFieldErrors(form, e)) setActionError(messageOf(e));
              } finally {
                setBusy(null);
              }
            }}
          >
            <Form.Item name="userId" label={t("matters.team.user")} rules={[{ required: true, whitespace: true, message: t("common.required") }]}>
              <StaffPicker />
            </Form.Item>
            <Form.Item name="role" label={t("matters.team.role")}>
              <Select style={{ width: 160 }} options={MATTER_ROLES.map((r) => ({ value: r, label: t(`matters.role.${r}`) }))} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy === "add"}>
              {t("matters.team.add")}
            </Button>
          </Form>
        )}
        {!open && <Typography.Text type="secondary">{t("matters.team.closedHelp")}</Typography.Text>}
      </Card>
      {me.permissions.includes("document.read") && (
        <Card title={t("files.tab")}>
          <FilesTab clientId={data.clientId} matterId={data.id} />
        </Card>
      )}
    </Space>
  );
}

interface NewMatterForm {
  clientId: string;
  number: string;
  title: string;
  practiceArea: string;
  responsiblePartnerId: string;
}

function NewMatter({ clientId }: { clientId: string | undefined }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<NewMatterForm>();
  const staff = useStaffNames();
  const mayLead = staff.byId(me.userId)?.eligibleAs.responsiblePartner === true;
  // The caller is offered as responsible partner when the directory says they may be one.
  useEffect(() => {
    if (mayLead && !form.getFieldValue("responsiblePartnerId")) form.setFieldValue("responsiblePartnerId", me.userId);
  }, [mayLead, form, me.userId]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const year = new Date().getFullYear();
  return (
    <Card title={t("matters.new.title")} extra={<Button onClick={() => navigate("matters")}>{t("matters.backToList")}</Button>}>
      {error && <Alert data-testid="new-matter-error" style={{ marginBottom: 16 }} type="error" showIcon title={error} />}
      <Form<NewMatterForm>
        form={form}
        layout="vertical"
        style={{ maxWidth: 640 }}
        initialValues={{ clientId, practiceArea: "litigation" }}
        onFinish={async (v) => {
          setBusy(true);
          setError(null);
          try {
            const created = await api.post<Matter>("/matters", {
              clientId: v.clientId.trim(),
              number: v.number.trim(),
              title: v.title.trim(),
              practiceArea: v.practiceArea,
              responsiblePartnerId: v.responsiblePartnerId,
            });
            void message.success(t("matters.new.created"));
            navigate(`matters/${created.id}`);
          } catch (e) {
            if (!showFieldErrors(form, e)) setError(messageOf(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="clientId" label={t("matters.client")} rules={[{ required: true, message: t("common.required") }]}>
          <ClientPicker />
        </Form.Item>
        <Form.Item
          name="number"
          label={t("matters.number")}
          extra={t("matters.new.numberHelp", { example: `${year}-民-0001` })}
          rules={[
            { required: true, message: t("common.required") },
            { pattern: MATTER_NUMBER, message: t("matters.new.numberFormat") },
          ]}
        >
          <Input placeholder={`${year}-民-0001`} />
        </Form.Item>
        <Form.Item
          name="title"
          label={t("matters.matterTitle")}
          extra={t("matters.new.titleHelp")}
          rules={[{ required: true, whitespace: true, message: t("common.required") }, { max: 300 }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="practiceArea" label={t("matters.practiceArea")} rules={[{ required: true, message: t("common.required") }]}>
          <Select options={PRACTICE_AREAS.map((a) => ({ value: a, label: t(`matters.area.${a}`) }))} />
        </Form.Item>
        <Form.Item
          name="responsiblePartnerId"
          label={t("matters.responsiblePartner")}
          extra={t("matters.new.partnerHelp")}
          rules={[{ required: true, whitespace: true, message: t("common.required") }]}
        >
          <StaffPicker eligibleAs="responsiblePartner" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t("matters.new.submit")}
        </Button>
      </Form>
    </Card>
  );
}

export const mattersScreen: Screen = {
  key: "matters",
  icon: <FolderOpenOutlined />,
  order: 30,
  group: "business",
  permission: "matter.read",
  needsPurpose: true,
  component: MattersPage,
};
