import { useCallback } from "react";
import type { SetURLSearchParams } from "react-router";
import { type ColumnId, DEFAULT_COLUMNS, parseColumns } from "./columns";

const STORAGE_KEY = "kundenakte.customerList.columns";

function remembered(): ColumnId[] | null {
  try {
    return parseColumns(localStorage.getItem(STORAGE_KEY));
  } catch {
    return null;
  }
}

function remember(columns: readonly ColumnId[]): void {
  try {
    localStorage.setItem(STORAGE_KEY, columns.join(","));
  } catch {
    // Storage full or forbidden: the choice still stands in the URL.
  }
}

/**
 * The columns shown: those in the URL (`cols=number,name,city`, so a view can be shared), else the
 * user's last choice in this browser, else the default. A change goes into both.
 */
export function useColumnChoice(
  params: URLSearchParams,
  setParams: SetURLSearchParams,
): [ColumnId[], (next: readonly ColumnId[] | null) => void] {
  const columns = parseColumns(params.get("cols")) ?? remembered() ?? [...DEFAULT_COLUMNS];
  const setColumns = useCallback(
    (next: readonly ColumnId[] | null) => {
      const chosen = parseColumns((next ?? DEFAULT_COLUMNS).join(",")) ?? [...DEFAULT_COLUMNS];
      remember(chosen);
      setParams(
        (prev) => {
          const p = new URLSearchParams(prev);
          p.set("cols", chosen.join(","));
          return p;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return [columns, setColumns];
}
