import { ContainerOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Empty, Form, Input, List, Modal, Select, Space, Table, Tabs, Tag, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { api, query } from "../../../shared/api";
import { messageOf, showFieldErrors } from "../../../shared/errors";
import { ClientPicker } from "../../../shared/pickers/ClientPicker";
import { MatterPicker } from "../../../shared/pickers/MatterPicker";
import { useLoad } from "../../../shared/useLoad";
import { useStaffNames } from "../../../shared/useStaffNames";
import { useSession } from "../../session";
import { useLabels } from "../programme/codes";
import type { Screen } from "../registry";
import { byText, filterBy, openableRow, paging } from "../../../shared/tables";

interface Place {
  id: string;
  parentId: string | null;
  kind: "room" | "cabinet" | "shelf";
  code: string;
  label: string;
  roomId: string;
}
interface PaperFile {
  id: string;
  code: string;
  reference: string;
  title: string | null;
  level: number;
  homeLocationCode: string;
  status: string;
  checkout: { id: string; borrowerId: string; dueOn: string; status: string; overdue: boolean } | null;
}
interface Loan {
  id: string;
  fileCode: string;
  reference: string;
  borrowerId: string;
  purpose: string;
  dueOn: string;
  status: string;
  requestedBy: string;
  overdue: boolean;
}
interface Copy {
  id: string;
  fileCode: string;
  reference: string;
  madeBy: string;
  copies: number;
  purpose: string;
  status: string;
}
interface Report {
  expected: number;
  scanned: number;
  found: number;
  out: { code: string; reference: string; dueOn: string; borrowerId: string }[];
  missing: { code: string; reference: string; homeLocationCode: string }[];
  unexpected: { code: string; reason: string }[];
  misplaced: { code: string; reference: string; homeLocationCode: string; scannedLocationCode: string | null }[];
}
interface Stocktake {
  id: string;
  roomCode: string | null;
  status: "open" | "closed";
  openedAt: string;
  scans: number;
  report?: Report;
}
interface Purpose {
  code: string;
  nameZh: string;
  nameEn: string;
}

const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
const inDays = (n: number) => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date(Date.now() + n * 86_400_000));

function usePlaces() {
  return useLoad(() => api.get<{ items: Place[] }>("/paper/locations"), []);
}

function usePurposes() {
  const { lang } = useLabels();
  const purposes = useLoad(() => api.get<{ items: Purpose[] }>("/purposes"), []);
  return (purposes.data?.items ?? []).map((p) => ({ value: p.code, label: lang === "en" ? p.nameEn : p.nameZh }));
}

function AddPlace({ places, onDone }: { places: Place[]; onDone: () => void }) {
  const { t, code } = useLabels();
  const [form] = Form.useForm();
  const [open, setOpen] = useState(false);
  const kind = Form.useWatch("kind", form) as Place["kind"] | undefined;
  const parentKind = kind === "shelf" ? "cabinet" : kind === "cabinet" ? "room" : null;
  const submit = async (values: Record<string, unknown>) => {
    try {
      await api.post("/paper/locations", values);
      setOpen(false);
      form.resetFields();
      onDone();
    } catch (error) {
      if (!showFieldErrors(form, error)) Modal.error({ content: messageOf(error) });
    }
  };
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t("paper.places.add")}</Button>
      <Modal open={open} title={t("paper.places.add")} onCancel={() => setOpen(false)} onOk={() => form.submit()} okText={t("paper.places.save")}>
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: "room" }}>
          <Form.Item name="kind" label={t("paper.places.kind")} rules={[{ required: true }]}>
            <Select options={(["room", "cabinet", "shelf"] as const).map((k) => ({ value: k, label: code("paper.placeKind", k) }))} />
          </Form.Item>
          {parentKind && (
            <Form.Item name="parentId" label={t("paper.places.parent")} rules={[{ required: true }]}>
              <Select options={places.filter((p) => p.kind === parentKind).map((p) => ({ value: p.id, label: `${p.code} ${p.label}` }))} />
            </Form.Item>
          )}
          <Form.Item name="code" label={t("paper.places.code")} rules={[{ required: true }]} extra={t("paper.places.codeHint")}>
            <Input />
          </Form.Item>
          <Form.Item name="label" label={t("paper.places.label")} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function RegisterFile({ places, onDone }: { places: Place[]; onDone: () => void }) {
  const { t } = useLabels();
  const [form] = Form.useForm();
  const [open, setOpen] = useState(false);
  const clientId = Form.useWatch("clientId", form) as string | undefined;
  const matterNumber = Form.useWatch("matterNumber", form) as string | undefined;
  const submit = async (values: Record<string, unknown>) => {
    try {
      const body = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ""));
      await api.post("/paper/files", body);
      setOpen(false);
      form.resetFields();
      onDone();
    } catch (error) {
      if (!showFieldErrors(form, error)) Modal.error({ content: messageOf(error) });
    }
  };
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t("paper.files.register")}
      </Button>
      <Modal open={open} title={t("paper.files.register")} onCancel={() => setOpen(false)} onOk={() => form.submit()} okText={t("paper.files.save")}>
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ level: 2 }}>
          <Form.Item name="matterNumber" label={t("paper.files.matterNumber")} extra={t("paper.files.matterNumberHint")}>
            <Input />
          </Form.Item>
          {!matterNumber && (
            <>
              <Form.Item name="clientId" label={t("paper.files.client")} rules={[{ required: true }]}>
                <ClientPicker />
              </Form.Item>
              <Form.Item name="matterId" label={t("paper.files.matter")} extra={t("paper.files.matterHint")}>
                <MatterPicker key={clientId ?? "none"} allowClear />
              </Form.Item>
              <Form.Item name="reference" label={t("paper.files.reference")} extra={t("paper.files.referenceHint")}>
                <Input />
              </Form.Item>
            </>
          )}
          <Form.Item name="title" label={t("paper.files.title")} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="level" label={t("paper.files.level")} rules={[{ required: true }]}>
            <Select options={[1, 2, 3, 4].map((l) => ({ value: l, label: t(`paper.levels.${l}`) }))} />
          </Form.Item>
          <Form.Item name="homeShelfId" label={t("paper.files.shelf")} rules={[{ required: true }]}>
            <Select options={places.filter((p) => p.kind === "shelf").map((p) => ({ value: p.id, label: `${p.code} ${p.label}` }))} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function CheckOut({ file, onClose, onDone }: { file: PaperFile | null; onClose: () => void; onDone: () => void }) {
  const { t } = useLabels();
  const { me } = useSession();
  const staff = useStaffNames();
  const purposes = usePurposes();
  const [form] = Form.useForm();
  const desk = me.permissions.includes("paper.manage");
  const submit = async (values: Record<string, unknown>) => {
    try {
      await api.post("/paper/checkouts", { fileId: file!.id, ...values });
      form.resetFields();
      onDone();
    } catch (error) {
      if (!showFieldErrors(form, error)) Modal.error({ content: messageOf(error) });
    }
  };
  return (
    <Modal
      open={file !== null}
      title={t("paper.checkout.title", { code: file?.code ?? "" })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t("paper.checkout.save")}
    >
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ purpose: "case-handling", dueOn: inDays(14) }}>
        {desk && (
          <Form.Item name="borrowerId" label={t("paper.checkout.borrower")} rules={[{ required: true }]}>
            <Select showSearch={{ optionFilterProp: "label" }} options={staff.options()} />
          </Form.Item>
        )}
        <Form.Item name="purpose" label={t("paper.checkout.purpose")} rules={[{ required: true }]}>
          <Select options={purposes} />
        </Form.Item>
        <Form.Item name="dueOn" label={t("paper.checkout.dueOn")} rules={[{ required: true }]}>
          <Input type="date" min={today()} />
        </Form.Item>
        {file && file.level >= 3 && <Alert type="info" showIcon message={t("paper.checkout.needsApproval")} />}
      </Form>
    </Modal>
  );
}

function FilesTab() {
  const { t } = useLabels();
  const { me } = useSession();
  const staff = useStaffNames();
  const places = usePlaces();
  const files = useLoad(() => api.get<{ items: PaperFile[] }>("/paper/files"), []);
  const rows = files.data?.items ?? [];
  const [selected, setSelected] = useState<string[]>([]);
  const [lending, setLending] = useState<PaperFile | null>(null);
  const manage = me.permissions.includes("paper.manage");
  const mayLend = manage || me.permissions.includes("paper.borrow");
  const reload = () => {
    places.reload();
    files.reload();
  };
  const printLabels = async () => {
    const blob = await api.blob(`/paper/labels${query({ ids: selected.join(",") })}`);
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = "paper-labels.pdf";
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Button onClick={reload}>{t("common.refresh")}</Button>
        {manage && <RegisterFile places={places.data?.items ?? []} onDone={reload} />}
        {manage && <AddPlace places={places.data?.items ?? []} onDone={reload} />}
        {manage && (
          <Button disabled={selected.length === 0} onClick={() => void printLabels()}>
            {t("paper.files.labels", { count: selected.length })}
          </Button>
        )}
      </Space>
      {files.error !== null && <Alert type="error" showIcon message={messageOf(files.error)} />}
      <Table<PaperFile>
        rowKey="id"
        size="small"
        data-testid="paper-files"
        loading={files.loading}
        dataSource={rows}
        pagination={paging({ pageSize: 50 })}
        scroll={{ x: true }}
        rowSelection={manage ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) } : undefined}
        locale={{ emptyText: <Empty description={t("paper.files.none")} /> }}
        columns={[
          {
            title: t("paper.files.code"),
            dataIndex: "code",
            sorter: byText((f) => f.code),
            render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
          },
          { title: t("paper.files.reference"), dataIndex: "reference", sorter: byText((f) => f.reference) },
          {
            title: t("paper.files.title"),
            dataIndex: "title",
            sorter: byText((f) => f.title),
            render: (v: string | null) => v ?? <Typography.Text type="secondary">{t("paper.files.titleHidden")}</Typography.Text>,
          },
          {
            title: t("paper.files.level"),
            dataIndex: "level",
            ...filterBy(
              rows,
              (f) => String(f.level),
              (c) => t(`paper.levels.${c}`),
            ),
            render: (v: number) => t(`paper.levels.${v}`),
          },
          {
            title: t("paper.files.shelf"),
            dataIndex: "homeLocationCode",
            ...filterBy(
              rows,
              (f) => f.homeLocationCode,
              (c) => c,
            ),
          },
          {
            title: t("paper.files.state"),
            key: "state",
            render: (_, f) =>
              f.status === "destroyed" ? (
                <Tag>{t("paper.fileStatus.destroyed")}</Tag>
              ) : f.checkout ? (
                <Tag color={f.checkout.overdue ? "red" : f.checkout.status === "pending" ? "gold" : "blue"}>
                  {t(`paper.loanState.${f.checkout.overdue ? "overdue" : f.checkout.status}`, {
                    name: staff.name(f.checkout.borrowerId),
                    due: f.checkout.dueOn,
                  })}
                </Tag>
              ) : (
                <Tag color="green">{t("paper.loanState.onShelf")}</Tag>
              ),
          },
          {
            title: "",
            key: "actions",
            render: (_, f) =>
              mayLend && f.status === "active" && !f.checkout ? (
                <Button size="small" onClick={() => setLending(f)}>
                  {t("paper.checkout.open")}
                </Button>
              ) : null,
          },
        ]}
      />
      <CheckOut
        file={lending}
        onClose={() => setLending(null)}
        onDone={() => {
          setLending(null);
          files.reload();
        }}
      />
    </>
  );
}

function CheckoutsTab() {
  const { t } = useLabels();
  const { me } = useSession();
  const staff = useStaffNames();
  const loans = useLoad(() => api.get<{ items: Loan[]; copies: Copy[] }>("/paper/checkouts"), []);
  const purposes = usePurposes();
  const purposeName = (v: string) => purposes.find((p) => p.value === v)?.label ?? v;
  const approve = me.permissions.includes("paper.approve");
  const manage = me.permissions.includes("paper.manage");
  const act = async (path: string, body?: unknown) => {
    try {
      await api.post(path, body);
      loans.reload();
    } catch (error) {
      Modal.error({ content: messageOf(error) });
    }
  };
  return (
    <>
      <Button onClick={loans.reload} style={{ marginBottom: 16 }}>
        {t("common.refresh")}
      </Button>
      <Table<Loan>
        rowKey="id"
        size="small"
        data-testid="paper-checkouts"
        loading={loans.loading}
        dataSource={loans.data?.items ?? []}
        pagination={paging({ pageSize: 50 })}
        scroll={{ x: true }}
        locale={{ emptyText: <Empty description={t("paper.checkouts.none")} /> }}
        columns={[
          { title: t("paper.files.code"), dataIndex: "fileCode" },
          { title: t("paper.files.reference"), dataIndex: "reference" },
          { title: t("paper.checkout.borrower"), dataIndex: "borrowerId", render: (v: string) => staff.name(v) },
          { title: t("paper.checkout.purpose"), dataIndex: "purpose", render: (v: string) => purposeName(v) },
          { title: t("paper.checkout.dueOn"), dataIndex: "dueOn" },
          {
            title: t("paper.files.state"),
            key: "status",
            render: (_, l) => <Tag color={l.overdue ? "red" : undefined}>{t(`paper.checkoutStatus.${l.overdue ? "overdue" : l.status}`)}</Tag>,
          },
          {
            title: "",
            key: "actions",
            render: (_, l) => (
              <Space>
                {approve && l.status === "pending" && l.borrowerId !== me.userId && l.requestedBy !== me.userId && (
                  <>
                    <Button size="small" type="primary" onClick={() => void act(`/paper/checkouts/${l.id}/decision`, { decision: "approve" })}>
                      {t("paper.checkouts.approve")}
                    </Button>
                    <Button size="small" danger onClick={() => void act(`/paper/checkouts/${l.id}/decision`, { decision: "reject" })}>
                      {t("paper.checkouts.reject")}
                    </Button>
                  </>
                )}
                {manage && l.status === "out" && (
                  <Button size="small" onClick={() => void act(`/paper/checkouts/${l.id}/return`)}>
                    {t("paper.checkouts.return")}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Typography.Title level={5}>{t("paper.copies.title")}</Typography.Title>
      <Table<Copy>
        rowKey="id"
        size="small"
        dataSource={loans.data?.copies ?? []}
        pagination={paging({ quiet: true })}
        scroll={{ x: true }}
        locale={{ emptyText: <Empty description={t("paper.copies.none")} /> }}
        columns={[
          { title: t("paper.files.code"), dataIndex: "fileCode" },
          { title: t("paper.files.reference"), dataIndex: "reference" },
          { title: t("paper.copies.madeBy"), dataIndex: "madeBy", render: (v: string) => staff.name(v) },
          { title: t("paper.copies.count"), dataIndex: "copies" },
          { title: t("paper.checkout.purpose"), dataIndex: "purpose", render: (v: string) => purposeName(v) },
          { title: t("paper.files.state"), dataIndex: "status", render: (v: string) => t(`paper.copyStatus.${v}`) },
        ]}
      />
    </>
  );
}

/** The report in words: what is out (and with whom, until when), missing, unexpected, misplaced. */
function ReportView({ report }: { report: Report }) {
  const { t } = useLabels();
  const staff = useStaffNames();
  const section = (key: string, lines: string[]) => (
    <div key={key} data-testid={`report-${key}`}>
      <Typography.Text strong>{t(`paper.report.${key}`, { count: lines.length })}</Typography.Text>
      {lines.length > 0 && (
        <ul>
          {lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      )}
    </div>
  );
  return (
    <div data-testid="stocktake-report">
      <Typography.Paragraph>{t("paper.report.summary", { expected: report.expected, scanned: report.scanned, found: report.found })}</Typography.Paragraph>
      {section(
        "out",
        report.out.map((o) => t("paper.report.outLine", { code: o.code, reference: o.reference, name: staff.name(o.borrowerId), due: o.dueOn })),
      )}
      {section(
        "missing",
        report.missing.map((m) => t("paper.report.missingLine", { code: m.code, reference: m.reference, shelf: m.homeLocationCode })),
      )}
      {section(
        "unexpected",
        report.unexpected.map((u) => t("paper.report.unexpectedLine", { code: u.code, reason: t(`paper.report.reasons.${u.reason}`) })),
      )}
      {section(
        "misplaced",
        report.misplaced.map((m) =>
          t("paper.report.misplacedLine", { code: m.code, reference: m.reference, shelf: m.homeLocationCode, at: m.scannedLocationCode ?? "—" }),
        ),
      )}
    </div>
  );
}

type Detector = { detect(source: CanvasImageSource): Promise<{ rawValue: string }[]> };

/** Reads QR codes with the phone's camera where the browser has BarcodeDetector; typing works everywhere. */
function CameraScan({ onCode }: { onCode: (code: string) => void }) {
  const { t } = useLabels();
  const video = useRef<HTMLVideoElement>(null);
  const [on, setOn] = useState(false);
  const Barcode = (globalThis as unknown as { BarcodeDetector?: new (o: { formats: string[] }) => Detector }).BarcodeDetector;
  useEffect(() => {
    if (!on || !Barcode) return;
    let stream: MediaStream | null = null;
    let live = true;
    const detector = new Barcode({ formats: ["qr_code"] });
    let last = "";
    void navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(async (s) => {
      stream = s;
      if (!video.current) return;
      video.current.srcObject = s;
      await video.current.play();
      while (live) {
        const found = await detector.detect(video.current).catch(() => []);
        const value = found[0]?.rawValue;
        if (value && value !== last) {
          last = value;
          onCode(value);
        }
        await new Promise((r) => setTimeout(r, 400));
      }
    });
    return () => {
      live = false;
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [on, Barcode, onCode]);
  if (!Barcode) return null;
  return (
    <div>
      <Button onClick={() => setOn((v) => !v)}>{on ? t("paper.stocktake.cameraOff") : t("paper.stocktake.cameraOn")}</Button>
      {on && <video ref={video} muted playsInline style={{ width: "100%", maxWidth: 360, marginTop: 8 }} />}
    </div>
  );
}

function StocktakeTab() {
  const { t, time } = useLabels();
  const { me } = useSession();
  const manage = me.permissions.includes("paper.manage");
  const places = usePlaces();
  const sessions = useLoad(() => api.get<{ items: Stocktake[] }>("/paper/stocktakes"), []);
  const [current, setCurrent] = useState<Stocktake | null>(null);
  const [room, setRoom] = useState<string | undefined>();
  const [where, setWhere] = useState<string | undefined>();
  const [typed, setTyped] = useState("");
  const [scans, setScans] = useState<{ code: string; verdict: string; reference: string | null }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const open = async () => {
    try {
      setCurrent(await api.post<Stocktake>("/paper/stocktakes", room ? { roomId: room } : {}));
      setScans([]);
      sessions.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const scan = async (code: string) => {
    if (!current || !code.trim()) return;
    try {
      const r = await api.post<{ code: string; verdict: string; reference: string | null }>(`/paper/stocktakes/${current.id}/scans`, {
        code: code.trim(),
        ...(where ? { locationId: where } : {}),
      });
      setScans((s) => [r, ...s]);
      setError(null);
      setTyped("");
    } catch (e) {
      setError(t("paper.stocktake.badCode"));
      void e;
    }
  };
  const close = async () => {
    if (!current) return;
    setError(null);
    setCurrent(await api.post<Stocktake>(`/paper/stocktakes/${current.id}/close`));
    sessions.reload();
  };
  const view = async (id: string) => setCurrent(await api.get<Stocktake>(`/paper/stocktakes/${id}`));
  const rooms = (places.data?.items ?? []).filter((p) => p.kind === "room");
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      {manage && (!current || current.status === "closed") && (
        <Space wrap>
          <Select
            style={{ minWidth: 200 }}
            aria-label={t("paper.stocktake.room")}
            placeholder={t("paper.stocktake.wholeArchive")}
            allowClear
            value={room}
            onChange={setRoom}
            options={rooms.map((r) => ({ value: r.id, label: `${r.code} ${r.label}` }))}
          />
          <Button type="primary" onClick={() => void open()}>
            {t("paper.stocktake.open")}
          </Button>
        </Space>
      )}
      {error && <Alert type="error" showIcon message={error} />}
      {current?.status === "open" && (
        <Card size="small" title={t("paper.stocktake.session", { place: current.roomCode ?? t("paper.stocktake.wholeArchive") })}>
          <Space direction="vertical" style={{ width: "100%" }}>
            <Select
              style={{ width: "100%" }}
              allowClear
              aria-label={t("paper.stocktake.where")}
              placeholder={t("paper.stocktake.where")}
              value={where}
              onChange={setWhere}
              options={(places.data?.items ?? [])
                .filter((p) => !current.roomCode || rooms.find((r) => r.code === current.roomCode)?.id === p.roomId)
                .map((p) => ({ value: p.id, label: `${p.code} ${p.label}` }))}
            />
            <Input.Search
              aria-label={t("paper.stocktake.code")}
              placeholder="PF-XXXXXXX"
              autoCapitalize="characters"
              autoComplete="off"
              enterButton={t("paper.stocktake.scan")}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              onSearch={(v) => void scan(v)}
            />
            <CameraScan onCode={(c) => void scan(c)} />
            <List
              size="small"
              data-testid="stocktake-scans"
              dataSource={scans.slice(0, 10)}
              header={t("paper.stocktake.scanned", { count: scans.length })}
              renderItem={(s) => (
                <List.Item>
                  {s.code} {s.reference ?? ""} <Tag>{t(`paper.verdict.${s.verdict}`)}</Tag>
                </List.Item>
              )}
            />
            <Button danger onClick={() => void close()}>
              {t("paper.stocktake.close")}
            </Button>
          </Space>
        </Card>
      )}
      {current?.status === "closed" && current.report && (
        <Card size="small" title={t("paper.stocktake.reportOf", { place: current.roomCode ?? t("paper.stocktake.wholeArchive") })}>
          <ReportView report={current.report} />
        </Card>
      )}
      <Table<Stocktake>
        rowKey="id"
        size="small"
        dataSource={sessions.data?.items ?? []}
        pagination={paging({ quiet: true })}
        scroll={{ x: true }}
        locale={{ emptyText: <Empty description={t("paper.stocktake.none")} /> }}
        onRow={openableRow((s) => void view(s.id))}
        columns={[
          { title: t("paper.stocktake.room"), dataIndex: "roomCode", render: (v: string | null) => v ?? t("paper.stocktake.wholeArchive") },
          { title: t("paper.stocktake.openedAt"), dataIndex: "openedAt", render: (v: string) => time(v) },
          { title: t("paper.files.state"), dataIndex: "status", render: (v: string) => t(`paper.stocktakeStatus.${v}`) },
          { title: t("paper.stocktake.scans"), dataIndex: "scans" },
        ]}
      />
    </Space>
  );
}

interface Check {
  id: string;
  roomId: string;
  kind: string;
  checkedOn: string;
  checkedBy: string;
  result: string;
  notes: string | null;
}

function ControlChecksTab() {
  const { t, code } = useLabels();
  const { me } = useSession();
  const staff = useStaffNames();
  const places = usePlaces();
  const checks = useLoad(() => api.get<{ items: Check[] }>("/paper/control-checks"), []);
  const [form] = Form.useForm();
  const rooms = (places.data?.items ?? []).filter((p) => p.kind === "room");
  const roomCode = (id: string) => rooms.find((r) => r.id === id)?.code ?? "—";
  const submit = async (values: Record<string, unknown>) => {
    try {
      await api.post("/paper/control-checks", Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== "")));
      form.resetFields();
      checks.reload();
    } catch (error) {
      if (!showFieldErrors(form, error)) Modal.error({ content: messageOf(error) });
    }
  };
  return (
    <>
      {me.permissions.includes("paper.control") && (
        <Card size="small" title={t("paper.checks.add")} style={{ marginBottom: 16 }}>
          <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: "access_control", result: "pass", checkedOn: today() }}>
            <Form.Item name="roomId" label={t("paper.checks.room")} rules={[{ required: true }]}>
              <Select options={rooms.map((r) => ({ value: r.id, label: `${r.code} ${r.label}` }))} />
            </Form.Item>
            <Form.Item name="kind" label={t("paper.checks.kind")} rules={[{ required: true }]}>
              <Select options={["access_control", "cctv"].map((k) => ({ value: k, label: code("paper.checkKind", k) }))} />
            </Form.Item>
            <Form.Item name="checkedOn" label={t("paper.checks.checkedOn")} rules={[{ required: true }]}>
              <Input type="date" max={today()} />
            </Form.Item>
            <Form.Item name="result" label={t("paper.checks.result")} rules={[{ required: true }]}>
              <Select options={["pass", "issues", "fail"].map((k) => ({ value: k, label: code("paper.checkResult", k) }))} />
            </Form.Item>
            <Form.Item name="notes" label={t("paper.checks.notes")}>
              <Input.TextArea rows={2} />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t("paper.checks.save")}
            </Button>
          </Form>
        </Card>
      )}
      <Table<Check>
        rowKey="id"
        size="small"
        loading={checks.loading}
        dataSource={checks.data?.items ?? []}
        pagination={paging({ pageSize: 50 })}
        scroll={{ x: true }}
        locale={{ emptyText: <Empty description={t("paper.checks.none")} /> }}
        columns={[
          { title: t("paper.checks.checkedOn"), dataIndex: "checkedOn" },
          { title: t("paper.checks.room"), dataIndex: "roomId", render: (v: string) => roomCode(v) },
          { title: t("paper.checks.kind"), dataIndex: "kind", render: (v: string) => code("paper.checkKind", v) },
          {
            title: t("paper.checks.result"),
            dataIndex: "result",
            render: (v: string) => <Tag color={v === "pass" ? "green" : v === "fail" ? "red" : "gold"}>{code("paper.checkResult", v)}</Tag>,
          },
          { title: t("paper.checks.by"), dataIndex: "checkedBy", render: (v: string) => staff.name(v) },
          { title: t("paper.checks.notes"), dataIndex: "notes", render: (v: string | null) => v ?? "—" },
        ]}
      />
    </>
  );
}

function PaperPage() {
  const { t } = useLabels();
  const { me } = useSession();
  const p = me.permissions;
  const items = [
    { key: "files", label: t("paper.tabs.files"), children: <FilesTab /> },
    ...(p.includes("paper.manage") || p.includes("paper.borrow") || p.includes("paper.oversee") || p.includes("paper.approve")
      ? [{ key: "checkouts", label: t("paper.tabs.checkouts"), children: <CheckoutsTab /> }]
      : []),
    ...(p.includes("paper.manage") || p.includes("paper.oversee") ? [{ key: "stocktake", label: t("paper.tabs.stocktake"), children: <StocktakeTab /> }] : []),
    ...(p.includes("paper.control") || p.includes("paper.oversee") ? [{ key: "checks", label: t("paper.tabs.checks"), children: <ControlChecksTab /> }] : []),
  ];
  return (
    <Card title={t("paper.title")}>
      <Typography.Paragraph type="secondary">{t("paper.intro")}</Typography.Paragraph>
      <Tabs items={items} destroyOnHidden />
    </Card>
  );
}

export const paperScreen: Screen = { key: "paper", icon: <ContainerOutlined />, order: 61, group: "business", permission: "paper.read", component: PaperPage };
