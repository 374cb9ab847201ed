import type { CustomerListItem } from "@kundenakte/contract";
import { Alert, Button, Group, Select, Skeleton, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useCan } from "../auth/session";
import { filtersOf, SORTS, useCustomerList } from "./api";
import { NewCustomer } from "./NewCustomer";

/** The customer list. Filters live in the URL, so a view can be bookmarked and shared. */
export function CustomerListPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const status = filters.status ?? "";
  const list = useCustomerList(filters);
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const [draft, setDraft] = useState<Record<string, string>>({});
  const text = (key: "group" | "owner" | "tag" | "city", label: string) => (
    <TextInput
      label={label}
      value={draft[key] ?? filters[key] ?? ""}
      onChange={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })}
      onBlur={(e) => setFilter(key, e.currentTarget.value.trim())}
      onKeyDown={(e) => {
        if (e.key === "Enter") setFilter(key, e.currentTarget.value.trim());
      }}
      w={150}
    />
  );
  const canCreate = useCan("customers.create");
  const [creating, setCreating] = useState(false);
  const first = list.data?.pages[0];
  const items: CustomerListItem[] = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t("customers.title")}
        </Title>
        {canCreate && <Button onClick={() => setCreating(true)}>{t("customers.new")}</Button>}
      </Group>
      <Group>
        <Select
          label={t("customers.filterStatus")}
          value={status}
          onChange={(v) => setFilter("status", v ?? "")}
          w={150}
          data={[
            { value: "", label: t("customers.all") },
            { value: "prospect", label: t("status.prospect") },
            { value: "active", label: t("status.active") },
            { value: "inactive", label: t("status.inactive") },
          ]}
          allowDeselect={false}
        />
        {text("group", t("customers.group"))}
        {text("owner", t("customers.owner"))}
        {text("tag", t("customers.tag"))}
        {text("city", t("customers.city"))}
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
          w={130}
        />
        <Select
          label={t("customers.sort")}
          value={filters.sort ?? "name"}
          onChange={(v) => setFilter("sort", v === "name" ? "" : (v ?? ""))}
          data={SORTS.map((v) => ({ value: v, label: t(`customers.sorts.${v}`) }))}
          allowDeselect={false}
          w={170}
        />
        {first && (
          <Text c="dimmed" mt="lg" aria-live="polite">
            {first.totalExact
              ? t("customers.total", { count: first.total ?? 0 })
              : t("customers.totalMore", { count: first.total ?? 0 })}
          </Text>
        )}
      </Group>
      {list.isError && <Alert color="red">{t("error.generic", { detail: (list.error as Error).message })}</Alert>}
      <Table striped highlightOnHover aria-label={t("customers.title")}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("customers.number")}</Table.Th>
            <Table.Th>{t("customers.name")}</Table.Th>
            <Table.Th>{t("customers.city")}</Table.Th>
            <Table.Th>{t("customers.status")}</Table.Th>
            <Table.Th>{t("customers.owner")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.isPending &&
            Array.from({ length: 8 }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: placeholders without identity
              <Table.Tr key={i}>
                <Table.Td colSpan={5}>
                  <Skeleton height={16} />
                </Table.Td>
              </Table.Tr>
            ))}
          {items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{c.customerNumber}</Table.Td>
              <Table.Td>
                <Link to={`/customers/${c.id}`}>{c.name1}</Link>
              </Table.Td>
              <Table.Td>{[c.postalCode, c.city].filter(Boolean).join(" ")}</Table.Td>
              <Table.Td>{t(`status.${c.status}`)}</Table.Td>
              <Table.Td>{c.owner}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.isSuccess && items.length === 0 && <Text>{t("customers.empty")}</Text>}
      {list.hasNextPage && (
        <Button variant="light" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t("customers.more")}
        </Button>
      )}
      <NewCustomer opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}
