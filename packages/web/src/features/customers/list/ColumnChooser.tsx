import { Button, Checkbox, Popover, Stack } from "@mantine/core";
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { COLUMN_IDS, COLUMNS, type ColumnId, DEFAULT_COLUMNS } from "./columns";

/** The "Spalten" menu: one checkbox per column the list offers; the name cannot be switched off. */
export function ColumnChooser({
  value,
  onChange,
}: {
  value: readonly ColumnId[];
  onChange: (next: readonly ColumnId[] | null) => void;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  // The URL follows a moment later (the router navigates), maybe through in-between states when
  // several boxes are clicked fast: the boxes show the click at once and wait for the URL to agree.
  const [checked, setChecked] = useState<string[]>([...value]);
  const sent = useRef<string | null>(null);
  const shown = value.join(",");
  useEffect(() => {
    if (sent.current !== null && sent.current !== shown) return;
    sent.current = null;
    setChecked(shown.split(","));
  }, [shown]);
  const choose = (next: readonly ColumnId[] | null) => {
    const ids = next ?? DEFAULT_COLUMNS;
    sent.current = COLUMN_IDS.filter((id) => id === "name" || ids.includes(id)).join(",");
    setChecked(sent.current.split(","));
    onChange(next);
  };

  return (
    <Popover position="bottom-end" shadow="md" trapFocus returnFocus withinPortal>
      <Popover.Target>
        <Button variant="default">{t("customerList.columns.button")}</Button>
      </Popover.Target>
      <Popover.Dropdown aria-labelledby={titleId} role="dialog">
        <Checkbox.Group
          value={checked}
          onChange={(next) => choose(next as ColumnId[])}
          label={<span id={titleId}>{t("customerList.columns.title")}</span>}
          description={t("customerList.columns.nameAlways")}
        >
          <Stack gap={6} mt="xs">
            {COLUMNS.map((c) => (
              <Checkbox key={c.id} value={c.id} label={t(c.label)} disabled={c.id === "name"} size="sm" />
            ))}
          </Stack>
        </Checkbox.Group>
        <Button
          variant="subtle"
          size="compact-sm"
          mt="sm"
          onClick={() => choose(null)}
          disabled={checked.join(",") === DEFAULT_COLUMNS.join(",")}
        >
          {t("customerList.columns.reset")}
        </Button>
      </Popover.Dropdown>
    </Popover>
  );
}
