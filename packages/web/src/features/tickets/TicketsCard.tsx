import {
  TICKET_PRIORITIES,
  TICKET_TYPES,
  type Ticket,
  type TicketCreate,
  TicketCreate as TicketCreateSchema,
} from "@kundenakte/contract";
import { Alert, Badge, Button, Card, Group, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ProblemError } from "../../lib/api";
import { formatDate } from "../../lib/format";
import { serverFieldErrors, validate } from "../../lib/validate";

/** Where a ticket may go from its status (the server refuses anything else with 409). */
const NEXT: Record<string, string[]> = {
  new: ["in_progress"],
  in_progress: ["waiting_for_customer"],
  waiting_for_customer: ["in_progress"],
  resolved: ["closed", "in_progress"],
  closed: [],
};

function useTickets(customerId: number) {
  return useQuery({
    queryKey: ["customers", customerId, "tickets"],
    queryFn: () => api<{ items: Ticket[]; nextCursor: string | null }>(`/customers/${customerId}/tickets?limit=20`),
  });
}

/**
 * The customer's requests and complaints in the customer file: newest first with status,
 * due time and overdue flag; a new ticket in three fields; the next status a click away.
 */
export function TicketsCard({
  customerId,
  canCreate,
  canUpdate,
}: {
  customerId: number;
  canCreate: boolean;
  canUpdate: boolean;
}) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const tickets = useTickets(customerId);
  const [type, setType] = useState<TicketCreate["type"]>("inquiry");
  const [priority, setPriority] = useState<NonNullable<TicketCreate["priority"]>>("normal");
  const [subject, setSubject] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const refresh = () => {
    qc.invalidateQueries({ queryKey: ["customers", customerId, "tickets"] });
    qc.invalidateQueries({ queryKey: ["customers", customerId, "journal"] });
    qc.invalidateQueries({ queryKey: ["customers", customerId, "file"] });
  };
  const create = useMutation({
    mutationFn: (body: TicketCreate) => api<Ticket>(`/customers/${customerId}/tickets`, { method: "POST", body }),
    onSuccess: () => {
      setSubject("");
      refresh();
    },
    onError: (err) => {
      if (err instanceof ProblemError) setErrors(serverFieldErrors(err.problem.errors));
    },
  });
  const move = useMutation({
    mutationFn: (v: { ticket: Ticket; status: string }) =>
      api<Ticket>(`/customers/${customerId}/tickets/${v.ticket.id}`, {
        method: "PATCH",
        body: { status: v.status },
        headers: { "if-match": `"${v.ticket.version}"` },
      }),
    onSettled: refresh,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: TicketCreate = { type, priority, subject: subject.trim() };
    const local = validate(TicketCreateSchema, body, t);
    setErrors(local);
    if (Object.keys(local).length === 0) create.mutate(body);
  };

  const items = tickets.data?.items ?? [];
  return (
    <Card withBorder component="section" aria-label={t("tickets.title")}>
      <Title order={2} size="h4" mb="xs">
        {t("tickets.title")}
      </Title>
      <Stack gap="xs">
        {canCreate && (
          <form onSubmit={submit} aria-label={t("tickets.new")} noValidate>
            <Group gap="xs" align="flex-end">
              <Select
                label={t("tickets.type")}
                data={TICKET_TYPES.map((v) => ({ value: v, label: t(`tickets.types.${v}`) }))}
                value={type}
                onChange={(v) => v && setType(v as TicketCreate["type"])}
                allowDeselect={false}
                w={170}
              />
              <Select
                label={t("tickets.priority")}
                data={TICKET_PRIORITIES.map((v) => ({ value: v, label: t(`tickets.priorities.${v}`) }))}
                value={priority}
                onChange={(v) => v && setPriority(v as NonNullable<TicketCreate["priority"]>)}
                allowDeselect={false}
                w={120}
              />
              <TextInput
                label={t("tickets.subject")}
                value={subject}
                onChange={(e) => setSubject(e.currentTarget.value)}
                error={errors.subject}
                style={{ flex: 1 }}
              />
              <Button type="submit" loading={create.isPending}>
                {t("tickets.create")}
              </Button>
            </Group>
          </form>
        )}
        {move.isError && <Alert color="red">{move.error.message}</Alert>}
        {tickets.isSuccess && items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t("tickets.empty")}
          </Text>
        )}
        {items.length > 0 && (
          <Table>
            <Table.Tbody>
              {items.map((tk) => (
                <Table.Tr key={tk.id}>
                  <Table.Td>{tk.number}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{tk.subject}</Text>
                    <Text size="xs" c="dimmed">
                      {t(`tickets.types.${tk.type}`)} · {t(`tickets.priorities.${tk.priority}`)}
                      {tk.assignee && ` · ${tk.assignee}`}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{t(`tickets.statuses.${tk.status}`)}</Badge>
                    {tk.overdue && (
                      <Badge color="red" ml={4}>
                        {t("tickets.overdue")}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {t("tickets.due")} {formatDate(tk.dueAt, i18n.language)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {canUpdate &&
                      NEXT[tk.status]?.map((s) => (
                        <Button
                          key={s}
                          size="compact-xs"
                          variant="subtle"
                          onClick={() => move.mutate({ ticket: tk, status: s })}
                        >
                          {t(`tickets.to.${s}`)}
                        </Button>
                      ))}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
