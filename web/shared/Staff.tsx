/**
 * Staff shown and chosen by name: every screen that names a user goes through these, reading the
 * staff directory once per page load (useStaffNames). The id stays at hand (its tail in the
 * tooltip, the full id on the element) for whoever needs to match it against an audit trail.
 */
import { Select, Space, Tag, Typography } from "antd";
import { useContext } from "react";
import { useTranslation } from "react-i18next";
import { SessionContext } from "../console/session";
import { shortId } from "./ids";
import { useStaffNames, type StaffEntry } from "./useStaffNames";

/** A staff member's name, the short id as tooltip; the caller's own id is marked "you". `copyable` copies the full id. */
export function StaffName({ id, copyable }: { id: string | null | undefined; copyable?: boolean }) {
  const { t } = useTranslation();
  const staff = useStaffNames();
  const me = useContext(SessionContext)?.me.userId;
  if (!id) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span data-staff-id={id}>
      <Typography.Text title={shortId(id)} copyable={copyable ? { text: id } : false}>
        {staff.name(id)}
      </Typography.Text>
      {id === me && (
        <Tag color="blue" style={{ marginLeft: 4 }}>
          {t("common.you")}
        </Tag>
      )}
    </span>
  );
}

/** Several staff members, e.g. the users an ethical wall screens. */
export function StaffNames({ ids }: { ids: string[] }) {
  const { t } = useTranslation();
  if (ids.length === 0) return <Typography.Text type="secondary">{t("common.none")}</Typography.Text>;
  return (
    <Space wrap size={[4, 4]}>
      {ids.map((id) => (
        <StaffName key={id} id={id} />
      ))}
    </Space>
  );
}

type PickerProps = {
  id?: string;
  /** Only staff the directory says may be named so are offered (a responsible partner, say); the API still decides. */
  eligibleAs?: keyof StaffEntry["eligibleAs"];
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
} & ({ multiple?: false; value?: string; onChange?: (v: string) => void } | { multiple: true; value?: string[]; onChange?: (v: string[]) => void });

/**
 * Chooses active staff from the directory by name and role, typed to filter: the one picker for a
 * user on every form (a Form.Item child: `value`/`onChange` come from the form).
 */
export function StaffPicker(props: PickerProps) {
  const { t } = useTranslation();
  const staff = useStaffNames();
  const options = staff
    .options((e) => `${e.displayName} · ${t(`roles.${e.role}`)}`)
    .filter((o) => !props.eligibleAs || staff.byId(o.value)?.eligibleAs[props.eligibleAs] === true);
  return (
    <Select<string | string[]>
      id={props.id}
      mode={props.multiple ? "multiple" : undefined}
      showSearch
      optionFilterProp="label"
      loading={staff.loading}
      allowClear={props.allowClear}
      placeholder={props.placeholder ?? t("common.pickStaff")}
      style={{ minWidth: 260, ...props.style }}
      value={props.value}
      onChange={(v) => (props.onChange as ((x: string | string[]) => void) | undefined)?.(v)}
      options={options}
    />
  );
}
