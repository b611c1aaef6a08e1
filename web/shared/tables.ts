import type { TablePaginationConfig } from "antd";
import type { ColumnFilterItem } from "antd/es/table/interface";
import type { HTMLAttributes, KeyboardEvent } from "react";
import i18n from "./i18n";

/** The page sizes every list offers. */
export const PAGE_SIZES = [10, 20, 50, 100];

/**
 * Pagination for a list loaded in full on the client: the total ("共 N 条"), a size changer and
 * 20 a page. `defaultPageSize`, not `pageSize`, so the size changer stays in charge. The bar
 * shows even on one page because the total is the point; `quiet` hides it there for small
 * lists inside a record (members, versions) where a lone "1" only adds noise. The total is
 * worded when drawn, so it follows a language switch.
 */
export function paging(options: { quiet?: boolean; pageSize?: number } = {}): TablePaginationConfig {
  return {
    defaultPageSize: options.pageSize ?? 20,
    pageSizeOptions: PAGE_SIZES,
    showSizeChanger: true,
    hideOnSinglePage: options.quiet ?? false,
    showTotal: (total) => i18n.t("common.total", { count: total }),
  };
}

/**
 * onRow props for a row that opens a record: clickable, and reachable and openable from the keyboard
 * (Tab to it, Enter or Space). The row keeps its table role so screen readers still read the grid;
 * keys pressed on a button or link inside the row are left to that control.
 */
export function openableRow<T>(onOpen: (row: T) => void): (row: T) => HTMLAttributes<HTMLElement> {
  return (row) => ({
    tabIndex: 0,
    style: { cursor: "pointer" },
    onClick: () => onOpen(row),
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => {
      if (e.target !== e.currentTarget || (e.key !== "Enter" && e.key !== " ")) return;
      e.preventDefault();
      onOpen(row);
    },
  });
}

type Get<T> = (row: T) => string | null | undefined;

/** Sorts a column by text in the reader's language (names, titles); empty last. */
export function byText<T>(get: Get<T>): (a: T, b: T) => number {
  return (a, b) => (get(a) ?? "\uffff").localeCompare(get(b) ?? "\uffff");
}

/** Sorts a column by an ISO date or timestamp; empty first, as "not yet". */
export function byDate<T>(get: Get<T>): (a: T, b: T) => number {
  return (a, b) => (get(a) ? Date.parse(get(a) as string) : 0) - (get(b) ? Date.parse(get(b) as string) : 0);
}

/**
 * A column filter built from the codes present in the loaded rows, each labelled for the reader
 * (never the raw code). Spread into a column: `{ title, dataIndex: "status", ...filterBy(rows, (r) => r.status, label) }`.
 */
export function filterBy<T>(
  rows: readonly T[],
  get: Get<T>,
  label: (code: string) => string,
): { filters: ColumnFilterItem[]; onFilter: (value: unknown, row: T) => boolean } {
  const codes = [...new Set(rows.map(get).filter((c): c is string => c != null && c !== ""))];
  return {
    filters: codes.map((c) => ({ text: label(c), value: c })).sort((a, b) => a.text.localeCompare(b.text)),
    onFilter: (value, row) => get(row) === value,
  };
}
