import {
  TICKET_PRIORITIES,
  TICKET_TYPES,
  type Ticket,
  type TicketCreate,
  TicketCreate as TicketCreateSchema,
} from "@kundenakte/contract";
import { Badge, Button, Card, Group, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDate } from "../../lib/format";
import { serverFieldErrors, validate } from "../../lib/validate";
import { useCreateTicket, useTickets, useUpdateTicket, useUserDirectory } from "./api";
import { ticketProblem } from "./problems";
import { EditTicketDialog, ResolveTicketDialog, TicketChangeFailure } from "./TicketDialogs";
import { stepsFrom } from "./workflow";

/**
 * The customer's requests and complaints in the customer file: newest first with status,
 * assignee, due time and overdue flag; a new ticket in three fields. Each open ticket offers
 * "Bearbeiten" (its fields and assignee, never its status) and exactly the workflow steps the
 * server allows from its status: start, wait for the customer, resume, resolve (with category
 * and text), close, reopen. A closed ticket is final and offers nothing.
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
  const tickets = useTickets(customerId);
  const directory = useUserDirectory();
  const create = useCreateTicket(customerId);
  // Workflow steps taken from the rows, and the changes made in a dialog: apart, so an error shows where it arose.
  const move = useUpdateTicket(customerId);
  const edit = useUpdateTicket(customerId);
  const [dialog, setDialog] = useState<{ kind: "edit" | "resolve"; ticket: Ticket } | null>(null);
  const [type, setType] = useState<TicketCreate["type"]>("inquiry");
  const [priority, setPriority] = useState<NonNullable<TicketCreate["priority"]>>("normal");
  const [subject, setSubject] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: TicketCreate = { type, priority, subject: subject.trim() };
    const local = validate(TicketCreateSchema, body, t);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    create.mutate(body, {
      onSuccess: () => setSubject(""),
      onError: (err) => setErrors(serverFieldErrors(ticketProblem(err)?.errors)),
    });
  };

  const open = (kind: "edit" | "resolve", ticket: Ticket) => {
    edit.reset();
    move.reset();
    setDialog({ kind, ticket });
  };
  const nameOf = (email: string) => directory.data?.find((u) => u.email === email)?.name ?? email;

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
        <TicketChangeFailure change={move} />
        {tickets.isSuccess && items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t("tickets.empty")}
          </Text>
        )}
        {items.length > 0 && (
          <Table aria-label={t("tickets.table")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("tickets.columns.number")}</Table.Th>
                <Table.Th>{t("tickets.subject")}</Table.Th>
                <Table.Th>{t("tickets.columns.status")}</Table.Th>
                <Table.Th>{t("tickets.columns.due")}</Table.Th>
                {canUpdate && <Table.Th>{t("tickets.columns.actions")}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((tk) => (
                <Table.Tr key={tk.id}>
                  <Table.Td>{tk.number}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{tk.subject}</Text>
                    <Text size="xs" c="dimmed">
                      {t(`tickets.types.${tk.type}`)} · {t(`tickets.priorities.${tk.priority}`)} ·{" "}
                      {tk.assignee ? t("tickets.assignedTo", { name: nameOf(tk.assignee) }) : t("tickets.unassigned")}
                    </Text>
                    {tk.resolution && tk.resolutionCategory && (
                      <Text size="xs">
                        {t("tickets.resolutionLine", {
                          category: t(`tickets.categories.${tk.resolutionCategory}`),
                          text: tk.resolution,
                        })}
                      </Text>
                    )}
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
                      {formatDate(tk.dueAt, i18n.language)}
                    </Text>
                  </Table.Td>
                  {canUpdate && (
                    <Table.Td>
                      <Group gap={4} wrap="wrap">
                        {tk.status !== "closed" && (
                          <Button
                            size="compact-xs"
                            variant="light"
                            onClick={() => open("edit", tk)}
                            aria-label={`${t("tickets.edit")}: ${tk.number}`}
                          >
                            {t("tickets.edit")}
                          </Button>
                        )}
                        {stepsFrom(tk.status).map(({ to, step }) => (
                          <Button
                            key={to}
                            size="compact-xs"
                            variant="subtle"
                            aria-label={`${t(`tickets.step.${step}`)}: ${tk.number}`}
                            loading={
                              move.isPending &&
                              move.variables?.ticket.id === tk.id &&
                              move.variables.patch.status === to
                            }
                            onClick={() =>
                              step === "resolve"
                                ? open("resolve", tk)
                                : move.mutate({ ticket: tk, patch: { status: to } })
                            }
                          >
                            {t(`tickets.step.${step}`)}
                          </Button>
                        ))}
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      {dialog?.kind === "edit" && (
        <EditTicketDialog ticket={dialog.ticket} change={edit} onClose={() => setDialog(null)} />
      )}
      {dialog?.kind === "resolve" && (
        <ResolveTicketDialog ticket={dialog.ticket} change={edit} onClose={() => setDialog(null)} />
      )}
    </Card>
  );
}
