import type { CustomerListItem } from "@kundenakte/contract";
import {
  Alert,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { ProblemError } from "../../lib/api";
import { useCan } from "../auth/session";
import { useCreateCustomer, useCustomerList } from "./api";

/** The customer list. Filters live in the URL, so a view can be bookmarked and shared. */
export function CustomerListPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = params.get("status") ?? "";
  const list = useCustomerList({ status: status || undefined });
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
          onChange={(v) => setParams(v ? { status: v } : {})}
          data={[
            { value: "", label: t("customers.all") },
            { value: "prospect", label: t("status.prospect") },
            { value: "active", label: t("status.active") },
            { value: "inactive", label: t("status.inactive") },
          ]}
          allowDeselect={false}
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

function NewCustomer({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateCustomer();
  const [kind, setKind] = useState<"company" | "person">("company");
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const created = await create.mutateAsync({ kind, name1: name });
      onClose();
      navigate(`/customers/${created.customer.id}`);
    } catch (err) {
      const field = err instanceof ProblemError ? err.problem.errors?.find((x) => x.field === "name1") : undefined;
      setError(field ? field.message : err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title={t("customers.new")}>
      <form onSubmit={submit}>
        <Stack>
          <SegmentedControl
            aria-label={t("customers.kind")}
            value={kind}
            onChange={(v) => setKind(v as "company" | "person")}
            data={[
              { value: "company", label: t("customers.company") },
              { value: "person", label: t("customers.person") },
            ]}
          />
          <TextInput
            label={t("customers.name")}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={error}
            required
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("customers.cancel")}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t("customers.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
