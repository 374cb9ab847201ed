import type { CustomerListItem, CustomerSort } from "@kundenakte/contract";
import { Skeleton, Table } from "@mantine/core";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type KeyboardEvent, type ReactNode, useEffect, useLayoutEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useNavigationType } from "react-router";
import classes from "./CustomerTable.module.css";
import { type Column, NAME_MIN_WIDTH, nextSort, sortState } from "./columns";
import { useFillHeight } from "./useFillHeight";

/** Fixed row and header heights: the virtualizer then knows every row's place without measuring. */
export const ROW_HEIGHT = 34;
const HEADER_HEIGHT = 38;
/** Rows drawn beyond the visible ones, so fast scrolling and arrow keys rarely meet a gap. */
const OVERSCAN = 12;
/** How close to the last loaded row the next page is fetched. */
const PREFETCH_ROWS = 40;
/**
 * A list that came whole in one page is drawn whole: cheap at this size, and the browser's own
 * search (Ctrl+F) then finds every customer in it. Longer lists draw only the rows in view.
 */
const DRAW_ALL_UP_TO = 100;
/** Placeholder rows while the first page loads (about one screen). */
const FIRST_LOAD_ROWS = 15;
/** Placeholder rows after the loaded ones while more are to come and the total is unknown. */
const MORE_ROWS = 10;

/** Where the list stood when it was left (per URL), so "back" lands on the same row. */
const positions = new Map<string, { top: number; active: number }>();

export interface CustomerTableProps {
  columns: Column[];
  items: CustomerListItem[];
  /** Known number of matching customers, or null while it is unknown (more than the API counts). */
  total: number | null;
  pending: boolean;
  hasNextPage: boolean;
  canFetchNextPage: boolean;
  /** A page is on its way. */
  fetching: boolean;
  fetchNextPage: () => void;
  sort: CustomerSort;
  onSort: (sort: CustomerSort) => void;
  /** Changes when the filters or the sort change: the list starts again at the top. */
  viewKey: string;
  empty: ReactNode;
  describedBy?: string;
}

/**
 * The customer list as a real table that only draws the rows in view (tens of them, however many
 * thousands are loaded), fetching the next page as the user nears the end. One row holds the
 * keyboard focus: arrows, Page up/down, Home/End move it; Enter opens the customer file.
 */
export function CustomerTable({
  columns,
  items,
  total,
  pending,
  hasNextPage,
  canFetchNextPage,
  fetching,
  fetchNextPage,
  sort,
  onSort,
  viewKey,
  empty,
  describedBy,
}: CustomerTableProps) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const navigationType = useNavigationType();
  const scrollRef = useRef<HTMLDivElement>(null);
  const height = useFillHeight(scrollRef);
  const loaded = items.length;

  let count: number;
  if (pending) count = FIRST_LOAD_ROWS;
  else if (!hasNextPage) count = loaded;
  else if (total !== null) count = Math.max(total, loaded + 1);
  else count = loaded + MORE_ROWS;

  const saved = navigationType === "POP" ? positions.get(viewKey) : undefined;
  const [active, setActive] = useState(saved?.active ?? 0);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: !pending && !hasNextPage && loaded <= DRAW_ALL_UP_TO ? DRAW_ALL_UP_TO : OVERSCAN,
    // The table header sits above the first row inside the scroller and stays on top of it.
    paddingStart: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    initialOffset: saved?.top ?? 0,
  });
  const rows = virtualizer.getVirtualItems();
  const firstRow = rows[0];
  const lastRow = rows[rows.length - 1];
  const topSpace = firstRow ? firstRow.start - HEADER_HEIGHT : 0;
  const bottomSpace = lastRow ? virtualizer.getTotalSize() - lastRow.end : 0;

  // Back from a customer file: the same place in the list, the same row.
  const arrival = useRef(saved);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (arrival.current && el) el.scrollTop = arrival.current.top;
  }, []);
  const activeRef = useRef(active);
  activeRef.current = active;
  useEffect(() => {
    const el = scrollRef.current;
    return () => {
      if (el) positions.set(viewKey, { top: el.scrollTop, active: activeRef.current });
    };
  }, [viewKey]);

  // A new filter or sort: a new list, from the top.
  const shownKey = useRef(viewKey);
  useEffect(() => {
    if (shownKey.current === viewKey) return;
    shownKey.current = viewKey;
    scrollRef.current?.scrollTo({ top: 0 });
    setActive(0);
  }, [viewKey]);

  // Near the end of what is loaded: the next page.
  const lastIndex = lastRow?.index ?? 0;
  useEffect(() => {
    if (!pending && canFetchNextPage && lastIndex >= loaded - PREFETCH_ROWS) fetchNextPage();
  }, [pending, canFetchNextPage, lastIndex, loaded, fetchNextPage]);

  // The row the keyboard moved to gets the focus once it is drawn (after the scroll it may need).
  const focusWanted = useRef<number | null>(null);
  const focusTimer = useRef(0);
  useEffect(() => () => cancelAnimationFrame(focusTimer.current), []);
  /** Focuses the row if it is drawn; tells whether it was. */
  const tryFocus = (index: number): boolean => {
    const row = scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${index}"]`);
    if (!row) return false;
    focusWanted.current = null;
    row.focus({ preventScroll: true });
    return true;
  };
  const focusSoon = (index: number, framesLeft: number) => {
    focusTimer.current = requestAnimationFrame(() => {
      if (focusWanted.current !== index || tryFocus(index)) return;
      if (framesLeft > 0) focusSoon(index, framesLeft - 1);
      else focusWanted.current = null;
    });
  };

  const moveTo = (index: number) => {
    if (loaded === 0) return;
    const i = Math.max(0, Math.min(loaded - 1, index));
    setActive(i);
    focusWanted.current = i;
    virtualizer.scrollToIndex(i, { align: "auto" });
    cancelAnimationFrame(focusTimer.current);
    // Drawn already (the next row usually is): focus now, so a quick second key starts from it.
    if (!tryFocus(i)) focusSoon(i, 60);
  };

  const pageRows = Math.max(1, Math.floor((height - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
  // Keys come from a row (or its link), or from the scroller itself when the focused row was
  // scrolled out of view and taken from the page: then they act on the active row.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    const row = target.closest<HTMLElement>("tr[data-index]");
    if ((!row && target !== scrollRef.current) || e.altKey || e.ctrlKey || e.metaKey) return;
    // A move still waiting for its row to be drawn counts as done.
    const index = focusWanted.current ?? (row ? Number(row.dataset.index) : active);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + pageRows,
      PageUp: index - pageRows,
      Home: 0,
      End: loaded - 1,
    };
    const to = moves[e.key];
    if (to !== undefined) {
      e.preventDefault();
      moveTo(row ? to : Math.max(0, Math.min(loaded - 1, to)));
    } else if (e.key === "Enter" && (target === row || !row)) {
      const c = items[index];
      if (c) {
        e.preventDefault();
        navigate(`/customers/${c.id}`);
      }
    }
  };

  // A focused row scrolled out of view (by wheel or scrollbar) leaves the DOM and would drop the
  // focus onto the page: the scroller keeps it, so the arrow keys go on working.
  const focusedRow = useRef<HTMLElement | null>(null);
  useLayoutEffect(() => {
    const row = focusedRow.current;
    if (!row || row.isConnected) return;
    focusedRow.current = null;
    if (document.activeElement === null || document.activeElement === document.body) {
      scrollRef.current?.focus({ preventScroll: true });
    }
  });

  // Only one row is a Tab stop: the active one if it is drawn, else the first drawn.
  const drawn = rows.filter((r) => r.index < loaded);
  const tabStop = drawn.some((r) => r.index === active) ? active : (drawn[0]?.index ?? -1);
  const fixedWidth = columns.reduce((sum, c) => sum + (c.width ?? 0), 0);
  const ctx = { t, language: i18n.language };
  const rowCount = total !== null ? total + 1 : hasNextPage ? -1 : loaded + 1;

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: keys reach it only when it holds the focus for a row scrolled away
    <div ref={scrollRef} className={classes.scroller} style={{ height }} tabIndex={-1} onKeyDown={onKeyDown}>
      <Table
        className={classes.table}
        layout="fixed"
        stickyHeader
        verticalSpacing={4}
        horizontalSpacing="sm"
        aria-label={t("customerList.tableLabel")}
        aria-describedby={describedBy}
        aria-rowcount={pending ? -1 : rowCount}
        aria-colcount={columns.length}
        aria-busy={pending || fetching ? true : undefined}
        style={{ minWidth: fixedWidth + NAME_MIN_WIDTH }}
      >
        <colgroup>
          {columns.map((c) => (
            <col key={c.id} style={c.width ? { width: c.width } : undefined} />
          ))}
        </colgroup>
        <Table.Thead>
          <Table.Tr aria-rowindex={1}>
            {columns.map((c) => {
              const label = t(c.label);
              const state = sortState(c, sort);
              const to = nextSort(c, sort);
              return (
                <Table.Th key={c.id} aria-sort={state} scope="col">
                  {to ? (
                    <button
                      type="button"
                      className={classes.sortButton}
                      onClick={() => onSort(to)}
                      title={t("customerList.sortBy", { column: label })}
                    >
                      {label}
                      <span className={classes.sortIcon} aria-hidden>
                        {state === "ascending" ? "▲" : state === "descending" ? "▼" : "↕"}
                      </span>
                    </button>
                  ) : (
                    label
                  )}
                </Table.Th>
              );
            })}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {topSpace > 0 && (
            <tr aria-hidden style={{ height: topSpace }}>
              <td colSpan={columns.length} style={{ padding: 0, border: 0 }} />
            </tr>
          )}
          {!pending && loaded === 0 && empty && (
            <Table.Tr>
              <Table.Td colSpan={columns.length} py="xl">
                {empty}
              </Table.Td>
            </Table.Tr>
          )}
          {rows.map((r) => {
            const c = items[r.index];
            if (!c) {
              return (
                <Table.Tr key={`placeholder-${r.index}`} className={classes.row} aria-hidden>
                  {columns.map((col) => (
                    <Table.Td key={col.id}>
                      <Skeleton height={12} width={col.width ? "70%" : "50%"} />
                    </Table.Td>
                  ))}
                </Table.Tr>
              );
            }
            const tabbable = r.index === tabStop;
            return (
              <Table.Tr
                key={c.id}
                className={classes.row}
                data-index={r.index}
                data-odd={r.index % 2 === 1 ? "" : undefined}
                aria-rowindex={r.index + 2}
                tabIndex={tabbable ? 0 : -1}
                onFocus={(e) => {
                  setActive(r.index);
                  focusedRow.current = e.currentTarget;
                }}
              >
                {columns.map((col) => (
                  <Table.Td key={col.id}>{col.cell(c, { ...ctx, tabbable })}</Table.Td>
                ))}
              </Table.Tr>
            );
          })}
          {bottomSpace > 0 && (
            <tr aria-hidden style={{ height: bottomSpace }}>
              <td colSpan={columns.length} style={{ padding: 0, border: 0 }} />
            </tr>
          )}
        </Table.Tbody>
      </Table>
    </div>
  );
}
