import {
  RESOLUTION_CATEGORIES,
  type ResolutionCategory,
  TICKET_PRIORITIES,
  TICKET_TYPES,
  type Ticket,
  type TicketPriority,
  type TicketType,
  type TicketUpdate,
  TicketUpdate as TicketUpdateSchema,
} from "@kundenakte/contract";
import { Alert, Button, Group, Modal, Select, Stack, Textarea, TextInput } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { serverFieldErrors, validate } from "../../lib/validate";
import { useUserDirectory } from "./api";
import { type TicketChange, ticketProblem } from "./problems";

/**
 * "Bearbeiten": subject, description, type, priority and assignee of a ticket. Sends only what
 * changed, and never a status — editing does not move a ticket in its workflow.
 */
export function EditTicketDialog({
  ticket,
  change,
  onClose,
}: {
  ticket: Ticket;
  change: TicketChange;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const directory = useUserDirectory();
  const [subject, setSubject] = useState(ticket.subject);
  const [description, setDescription] = useState(ticket.description ?? "");
  const [type, setType] = useState<TicketType>(ticket.type);
  const [priority, setPriority] = useState<TicketPriority>(ticket.priority);
  const [assignee, setAssignee] = useState(ticket.assignee ?? "");
  const [errors, setErrors] = useState<Record<string, string>>({});

  // The assignee may be someone the directory no longer lists (deactivated): still shown.
  const people = directory.data ?? [];
  const options = [
    { value: "", label: t("tickets.nobody") },
    ...people.map((u) => ({ value: u.email, label: `${u.name} (${u.email})` })),
    ...(ticket.assignee && !people.some((u) => u.email === ticket.assignee)
      ? [{ value: ticket.assignee, label: ticket.assignee }]
      : []),
  ];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const patch: TicketUpdate = {};
    if (subject.trim() !== ticket.subject) patch.subject = subject.trim();
    if ((description.trim() || null) !== ticket.description) patch.description = description.trim() || null;
    if (type !== ticket.type) patch.type = type;
    if (priority !== ticket.priority) patch.priority = priority;
    if ((assignee || null) !== ticket.assignee) patch.assignee = assignee || null;
    if (Object.keys(patch).length === 0) return onClose();
    const local = validate(TicketUpdateSchema, patch, t);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    change.mutate(
      { ticket, patch },
      {
        onSuccess: onClose,
        onError: (err) => setErrors(serverFieldErrors(ticketProblem(err)?.errors)),
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={t("tickets.editTitle", { number: ticket.number })} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t("tickets.subject")}
            required
            value={subject}
            onChange={(e) => setSubject(e.currentTarget.value)}
            error={errors.subject}
            data-autofocus
          />
          <Textarea
            label={t("tickets.description")}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={errors.description}
            autosize
            minRows={3}
          />
          <Group grow>
            <Select
              label={t("tickets.type")}
              data={TICKET_TYPES.map((v) => ({ value: v, label: t(`tickets.types.${v}`) }))}
              value={type}
              onChange={(v) => v && setType(v as TicketType)}
              allowDeselect={false}
            />
            <Select
              label={t("tickets.priority")}
              data={TICKET_PRIORITIES.map((v) => ({ value: v, label: t(`tickets.priorities.${v}`) }))}
              value={priority}
              onChange={(v) => v && setPriority(v as TicketPriority)}
              allowDeselect={false}
            />
          </Group>
          <Select
            label={t("tickets.assignee")}
            data={options}
            value={assignee}
            onChange={(v) => setAssignee(v ?? "")}
            allowDeselect={false}
            searchable
            error={errors.assignee}
          />
          <TicketChangeFailure change={change} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("customers.cancel")}
            </Button>
            <Button type="submit" loading={change.isPending}>
              {t("tickets.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** "Lösen…": a resolution category and text are required; the ticket becomes resolved. */
export function ResolveTicketDialog({
  ticket,
  change,
  onClose,
}: {
  ticket: Ticket;
  change: TicketChange;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [category, setCategory] = useState<ResolutionCategory | null>(null);
  const [resolution, setResolution] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!category) local.resolutionCategory = t("form.required");
    if (!resolution.trim()) local.resolution = t("form.required");
    setErrors(local);
    if (Object.keys(local).length > 0 || !category) return;
    change.mutate(
      { ticket, patch: { status: "resolved", resolutionCategory: category, resolution: resolution.trim() } },
      {
        onSuccess: onClose,
        onError: (err) => setErrors(serverFieldErrors(ticketProblem(err)?.errors)),
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={t("tickets.resolveTitle", { number: ticket.number })} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Select
            label={t("tickets.resolutionCategory")}
            required
            data={RESOLUTION_CATEGORIES.map((v) => ({ value: v, label: t(`tickets.categories.${v}`) }))}
            value={category}
            onChange={(v) => setCategory(v as ResolutionCategory | null)}
            error={errors.resolutionCategory}
            data-autofocus
          />
          <Textarea
            label={t("tickets.resolution")}
            required
            value={resolution}
            onChange={(e) => setResolution(e.currentTarget.value)}
            error={errors.resolution}
            autosize
            minRows={3}
          />
          <TicketChangeFailure change={change} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("customers.cancel")}
            </Button>
            <Button type="submit" loading={change.isPending}>
              {t("tickets.resolveConfirm")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Why a change failed, in words: a step no longer allowed, a ticket changed meanwhile, or the server's reason. */
export function TicketChangeFailure({ change }: { change: TicketChange }) {
  const { t } = useTranslation();
  if (!change.error) return null;
  const problem = ticketProblem(change.error);
  // Field errors stand at their fields.
  if (problem?.status === 400 && problem.errors?.length) return null;
  const text =
    problem?.code === "illegal_transition"
      ? t("tickets.errors.illegalTransition")
      : problem?.status === 412
        ? t("tickets.errors.stale")
        : t("error.generic", { detail: change.error.message });
  return (
    <Alert color="red" role="alert">
      {text}
    </Alert>
  );
}
