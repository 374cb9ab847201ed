import type { CustomerListItem, CustomerSort } from "@kundenakte/contract";
import type { TFunction } from "i18next";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { formatDate } from "../../../lib/format";
import { BlockBadge, StatusBadge } from "./Badges";

/** The columns the list offers: one per field of the list item worth reading in a list. */
export const COLUMN_IDS = [
  "number",
  "name",
  "name2",
  "kind",
  "street",
  "postalCode",
  "city",
  "country",
  "status",
  "block",
  "group",
  "region",
  "abc",
  "owner",
  "updatedAt",
] as const;
export type ColumnId = (typeof COLUMN_IDS)[number];

/** A sortable column: the API's sort key and which way a first click sorts. */
type SortKey = "customerNumber" | "name" | "updatedAt";

export interface CellContext {
  t: TFunction;
  language: string;
  /** Whether the row's link may be reached by Tab (only the row that has the keyboard focus). */
  tabbable: boolean;
}

export interface Column {
  id: ColumnId;
  /** The text key of the header. */
  label: string;
  /** Width in px; a column without one (the name) takes the rest. */
  width?: number;
  sort?: SortKey;
  /** Dates sort newest first on the first click; text A–Z. */
  firstDescending?: boolean;
  cell(c: CustomerListItem, ctx: CellContext): ReactNode;
}

const regionNames = new Map<string, Intl.DisplayNames | null>();
/** "DE" → "Deutschland" in the user's language (the code itself when the browser does not know it). */
function countryName(code: string | null, language: string): string {
  if (!code) return "";
  let names = regionNames.get(language);
  if (names === undefined) {
    try {
      names = new Intl.DisplayNames([language.startsWith("en") ? "en-GB" : "de-DE"], { type: "region" });
    } catch {
      names = null;
    }
    regionNames.set(language, names);
  }
  try {
    return names?.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

export const COLUMNS: readonly Column[] = [
  { id: "number", label: "customers.number", width: 125, sort: "customerNumber", cell: (c) => c.customerNumber },
  {
    id: "name",
    label: "customers.name",
    sort: "name",
    cell: (c, { tabbable }) => (
      <Link to={`/customers/${c.id}`} tabIndex={tabbable ? 0 : -1}>
        {c.name1}
      </Link>
    ),
  },
  { id: "name2", label: "customerList.columns.name2", width: 180, cell: (c) => c.name2 },
  { id: "kind", label: "customerList.columns.kind", width: 110, cell: (c, { t }) => t(`customers.${c.kind}`) },
  { id: "street", label: "customerList.columns.street", width: 190, cell: (c) => c.street },
  { id: "postalCode", label: "customerList.columns.postalCode", width: 72, cell: (c) => c.postalCode },
  { id: "city", label: "customers.city", width: 160, cell: (c) => c.city },
  {
    id: "country",
    label: "customerList.columns.country",
    width: 130,
    cell: (c, { language }) => countryName(c.country, language),
  },
  { id: "status", label: "customers.status", width: 115, cell: (c) => <StatusBadge status={c.status} /> },
  { id: "block", label: "customerList.columns.block", width: 170, cell: (c) => <BlockBadge block={c.blockType} /> },
  { id: "group", label: "customerList.columns.group", width: 140, cell: (c) => c.customerGroup },
  { id: "region", label: "customerList.columns.region", width: 120, cell: (c) => c.region },
  { id: "abc", label: "customerList.columns.abc", width: 95, cell: (c) => c.abcRating },
  { id: "owner", label: "customers.owner", width: 160, cell: (c) => c.owner },
  {
    id: "updatedAt",
    label: "customerList.columns.updatedAt",
    width: 125,
    sort: "updatedAt",
    firstDescending: true,
    cell: (c, { language }) => formatDate(c.updatedAt, language),
  },
];

/** The narrowest the name column may get before the table scrolls sideways. */
export const NAME_MIN_WIDTH = 240;

/** What a first visit shows: enough to find a customer, narrow enough for 1366 px. */
export const DEFAULT_COLUMNS: readonly ColumnId[] = [
  "number",
  "name",
  "postalCode",
  "city",
  "status",
  "block",
  "owner",
];

const isColumnId = (v: string): v is ColumnId => (COLUMN_IDS as readonly string[]).includes(v);

/**
 * A column choice as written in the URL or storage ("number,name,city"): unknown names dropped,
 * the name always in, the columns in their usual order. null when there is no choice to read.
 */
export function parseColumns(value: string | null | undefined): ColumnId[] | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  const wanted = new Set(
    value
      .split(",")
      .map((s) => s.trim())
      .filter(isColumnId),
  );
  if (wanted.size === 0) return null;
  wanted.add("name");
  return COLUMN_IDS.filter((id) => wanted.has(id));
}

/** The sort a header click asks for: the other direction if the column is sorted already. */
export function nextSort(column: Column, current: CustomerSort): CustomerSort | null {
  if (!column.sort) return null;
  if (current === column.sort) return `-${column.sort}`;
  if (current === `-${column.sort}`) return column.sort;
  return column.firstDescending ? `-${column.sort}` : column.sort;
}

/** How the column is sorted now, for `aria-sort`. */
export function sortState(column: Column, current: CustomerSort): "ascending" | "descending" | undefined {
  if (!column.sort) return undefined;
  if (current === column.sort) return "ascending";
  if (current === `-${column.sort}`) return "descending";
  return undefined;
}
