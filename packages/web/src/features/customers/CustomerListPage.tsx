import { CUSTOMER_SORTS, type CustomerListItem, type CustomerSort } from "@kundenakte/contract";
import { Alert, Button, Group, Select, Skeleton, Stack, Text, TextInput, Title } from "@mantine/core";
import type { TFunction } from "i18next";
import { useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { ProblemError } from "../../lib/api";
import { formatNumber } from "../../lib/format";
import { useCan } from "../auth/session";
import { filtersOf } from "./api";
import { ColumnChooser } from "./list/ColumnChooser";
import { CustomerTable } from "./list/CustomerTable";
import { COLUMNS } from "./list/columns";
import { useColumnChoice } from "./list/useColumnChoice";
import { type SortedFilters, sortOf, useCustomerPages } from "./list/useCustomerPages";
import { NewCustomer } from "./NewCustomer";

/**
 * The customer list: filters, sort and columns live in the URL, so a view can be bookmarked and
 * shared. It scrolls through all customers, however many, drawing only the rows in view.
 */
export function CustomerListPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const raw = filtersOf(params);
  const filters: SortedFilters = { ...raw, sort: sortOf(raw.sort) };
  const viewKey = JSON.stringify(filters);
  const list = useCustomerPages(filters);
  const [columnIds, setColumns] = useColumnChoice(params, setParams);
  const columns = useMemo(() => COLUMNS.filter((c) => columnIds.includes(c.id)), [columnIds]);
  const hintId = useId();

  const setFilter = (key: string, value: string) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  };
  const [draft, setDraft] = useState<Record<string, string>>({});
  const resetFilters = () => {
    setDraft({});
    setParams(
      (prev) => {
        const next = new URLSearchParams();
        const cols = prev.get("cols");
        if (cols) next.set("cols", cols);
        return next;
      },
      { replace: true },
    );
  };
  const text = (key: "group" | "owner" | "tag" | "city", label: string, width: number) => (
    <TextInput
      label={label}
      value={draft[key] ?? filters[key] ?? ""}
      onChange={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })}
      onBlur={(e) => setFilter(key, e.currentTarget.value.trim())}
      onKeyDown={(e) => {
        if (e.key === "Enter") setFilter(key, e.currentTarget.value.trim());
      }}
      w={width}
    />
  );
  const canCreate = useCan("customers.create");
  const [creating, setCreating] = useState(false);

  const items: CustomerListItem[] = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const first = list.data?.pages[0];
  const allLoaded = list.isSuccess && !list.hasNextPage;
  // The API counts up to a cap; beyond it the number is known once everything is loaded.
  const total = allLoaded ? items.length : first?.totalExact ? (first.total ?? null) : null;
  const lang = i18n.language;

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="md" align="baseline" wrap="nowrap">
          <Title order={1} size="h2">
            {t("customers.title")}
          </Title>
          {list.isPending ? (
            <Skeleton height={18} width={110} />
          ) : (
            first && (
              <Text c="dimmed">
                <span aria-live="polite">
                  {total !== null
                    ? t("customerList.total", { count: total, total: formatNumber(total, lang) })
                    : t("customerList.totalMore", { total: formatNumber(first.total ?? 0, lang) })}
                </span>
                {total === null && ` · ${t("customerList.loaded", { loaded: formatNumber(items.length, lang) })}`}
              </Text>
            )
          )}
        </Group>
        <Group gap="sm" wrap="nowrap">
          <Text size="xs" c="dimmed" id={hintId}>
            {t("customerList.keyboardHint")}
          </Text>
          <ColumnChooser value={columnIds} onChange={setColumns} />
          {canCreate && <Button onClick={() => setCreating(true)}>{t("customers.new")}</Button>}
        </Group>
      </Group>
      <Group gap="sm" align="flex-end">
        <Select
          label={t("customers.filterStatus")}
          value={filters.status ?? ""}
          onChange={(v) => setFilter("status", v ?? "")}
          w={130}
          data={[
            { value: "", label: t("customers.all") },
            { value: "prospect", label: t("status.prospect") },
            { value: "active", label: t("status.active") },
            { value: "inactive", label: t("status.inactive") },
          ]}
          allowDeselect={false}
        />
        {text("group", t("customers.group"), 130)}
        {text("owner", t("customers.owner"), 150)}
        {text("tag", t("customers.tag"), 130)}
        {text("city", t("customers.city"), 150)}
        <Select
          label={t("customers.blocked")}
          value={filters.blocked === undefined ? "" : String(filters.blocked)}
          onChange={(v) => setFilter("blocked", v ?? "")}
          data={[
            { value: "", label: t("customers.all") },
            { value: "true", label: t("customers.blockedYes") },
            { value: "false", label: t("customers.blockedNo") },
          ]}
          allowDeselect={false}
          w={140}
        />
        <Select
          label={t("customers.sort")}
          value={filters.sort}
          onChange={(v) => setFilter("sort", v ?? "")}
          data={CUSTOMER_SORTS.map((v) => ({ value: v, label: t(`customers.sorts.${v}`) }))}
          allowDeselect={false}
          w={200}
        />
      </Group>
      {list.isError && !list.isFetchNextPageError && (
        <Alert color="red" role="alert">
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{loadErrorText(t, list.error)}</Text>
            {isBadFilter(list.error) ? (
              <Button size="compact-sm" variant="light" color="red" onClick={resetFilters}>
                {t("customerList.resetFilters")}
              </Button>
            ) : (
              <Button size="compact-sm" variant="light" color="red" onClick={() => list.refetch()}>
                {t("customerList.retry")}
              </Button>
            )}
          </Group>
        </Alert>
      )}
      {list.isFetchNextPageError && (
        <Alert color="red" role="alert">
          <Group justify="space-between">
            <Text size="sm">{t("customerList.moreError", { detail: list.error?.message ?? "" })}</Text>
            <Button size="compact-sm" variant="light" color="red" onClick={() => list.fetchNextPage()}>
              {t("customerList.retry")}
            </Button>
          </Group>
        </Alert>
      )}
      <CustomerTable
        columns={columns}
        items={items}
        total={total}
        pending={list.isPending && !list.isError}
        hasNextPage={list.hasNextPage}
        canFetchNextPage={list.hasNextPage && !list.isFetchingNextPage && !list.isFetchNextPageError}
        fetching={list.isFetching}
        fetchNextPage={list.fetchNextPage}
        sort={filters.sort}
        onSort={(s: CustomerSort) => setFilter("sort", s)}
        viewKey={viewKey}
        empty={list.isSuccess ? <Text>{t("customers.empty")}</Text> : null}
        describedBy={hintId}
      />
      <NewCustomer opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}

const isBadFilter = (error: Error) => error instanceof ProblemError && error.status === 400;

/** The filter controls' labels, to name a bad filter of the URL in the user's words. */
const FILTER_LABELS: Record<string, string> = {
  status: "customers.filterStatus",
  group: "customers.group",
  owner: "customers.owner",
  tag: "customers.tag",
  city: "customers.city",
  blocked: "customers.blocked",
  sort: "customers.sort",
};

/** Why the list is missing, for people: no right, a bad filter in the URL, or anything else. */
function loadErrorText(t: TFunction, error: Error): string {
  if (error instanceof ProblemError && error.status === 403) return t("error.forbidden");
  if (isBadFilter(error) && error instanceof ProblemError) {
    const names = (error.problem.errors ?? []).map((e) => {
      const field = e.field.split("/").pop() ?? e.field;
      return FILTER_LABELS[field] ? t(FILTER_LABELS[field]) : field;
    });
    return t("customerList.badFilter", { filters: [...new Set(names)].join(", ") || error.message });
  }
  return t("customerList.loadError", { detail: error.message });
}
