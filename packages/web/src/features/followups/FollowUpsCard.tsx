import {
  type Contact,
  type FollowUp,
  type FollowUpCreate,
  FollowUpCreate as FollowUpCreateSchema,
} from "@kundenakte/contract";
import { Alert, Badge, Button, Card, Group, Select, Skeleton, Stack, Text, TextInput, Title } from "@mantine/core";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ProblemError } from "../../lib/api";
import { serverFieldErrors, validate } from "../../lib/validate";
import { useCan, useSession } from "../auth/session";
import { useCompleteFollowUp, useCreateFollowUp, useCustomerFollowUps, useUserNames, useUsers } from "./api";
import { daysFromToday, dueGroup, formatDateTime, formatTime, toInstant } from "./time";

const contactName = (c: Contact) => [c.title, c.firstName, c.lastName].filter(Boolean).join(" ");

/** What happened to a completion that did not go through, in words for people. */
export function completionProblem(err: unknown, t: (key: string) => string): string {
  if (err instanceof ProblemError && err.status === 412) {
    const current = err.problem.current as FollowUp | undefined;
    return current && current.status !== "open" ? t("followUps.alreadyClosed") : t("followUps.conflict");
  }
  return err instanceof Error ? err.message : String(err);
}

/** "Heute, 14:30" or "Fällig 28.11.2026, 09:00", red when overdue. */
export function DueText({ followUp, size = "xs", bare }: { followUp: FollowUp; size?: string; bare?: boolean }) {
  const { t, i18n } = useTranslation();
  const group = dueGroup(followUp.dueAt);
  const overdue = followUp.overdue || group === "overdue";
  return (
    <Text component="span" size={size} c={overdue ? "red" : "dimmed"} fw={overdue ? 600 : undefined}>
      {group === "today"
        ? t("followUps.dueToday", { time: formatTime(followUp.dueAt, i18n.language) })
        : bare
          ? formatDateTime(followUp.dueAt, i18n.language)
          : t("followUps.due", { date: formatDateTime(followUp.dueAt, i18n.language) })}
    </Text>
  );
}

/** "Wiedervorlage anlegen" in a few fields: subject, due date (with quick choices) and time, assignee, contact. */
function NewFollowUpForm({
  customerId,
  contacts,
  onClose,
}: {
  customerId: number;
  contacts: Contact[];
  onClose: (created?: FollowUp) => void;
}) {
  const { t } = useTranslation();
  const session = useSession();
  const me = session.data?.user;
  const users = useUsers();
  const create = useCreateFollowUp(customerId);
  const [subject, setSubject] = useState("");
  const [date, setDate] = useState(daysFromToday(1));
  const [time, setTime] = useState("09:00");
  const [owner, setOwner] = useState(me?.email ?? "");
  const [contactId, setContactId] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const quick = [
    { label: t("followUps.quickTomorrow"), value: daysFromToday(1) },
    { label: t("followUps.quickWeek"), value: daysFromToday(7) },
    { label: t("followUps.quickTwoWeeks"), value: daysFromToday(14) },
    { label: t("followUps.quickMonth"), value: daysFromToday(0, 1) },
  ];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const dueAt = toInstant(date, time);
    const body: FollowUpCreate = {
      subject: subject.trim(),
      dueAt: dueAt ?? "",
      ...(owner.trim() && owner.trim().toLowerCase() !== me?.email.toLowerCase() ? { owner: owner.trim() } : {}),
      ...(contactId ? { contactId: Number(contactId) } : {}),
    };
    const local = validate(FollowUpCreateSchema, body, t);
    if (!dueAt) local.dueAt = t("followUps.dateRequired");
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    create.mutate(body, {
      onSuccess: (created) => onClose(created),
      onError: (err) => {
        if (err instanceof ProblemError && err.status === 400) setErrors(serverFieldErrors(err.problem.errors));
      },
    });
  };

  const userOptions = users.data?.map((u) => ({
    value: u.email,
    label: u.email === me?.email ? t("followUps.me", { name: u.name }) : u.name,
  }));
  const fieldProblem = create.error instanceof ProblemError && create.error.status === 400 ? null : create.error;

  return (
    <form onSubmit={submit} aria-label={t("followUps.form")} noValidate>
      <Stack gap="xs">
        <TextInput
          label={t("followUps.subject")}
          placeholder={t("followUps.subjectPlaceholder")}
          required
          autoFocus
          value={subject}
          onChange={(e) => setSubject(e.currentTarget.value)}
          maxLength={300}
          error={errors.subject}
        />
        <Group gap="xs" align="flex-start" wrap="nowrap">
          <TextInput
            type="date"
            label={t("followUps.dueDate")}
            required
            value={date}
            onChange={(e) => setDate(e.currentTarget.value)}
            error={errors.dueAt}
            style={{ flex: 1 }}
          />
          <TextInput
            type="time"
            label={t("followUps.dueTime")}
            value={time}
            onChange={(e) => setTime(e.currentTarget.value)}
            w={120}
          />
        </Group>
        <Group gap={4} role="group" aria-label={t("followUps.quick")}>
          {quick.map((q) => (
            <Button
              key={q.label}
              size="compact-xs"
              variant={date === q.value ? "filled" : "light"}
              aria-pressed={date === q.value}
              onClick={() => setDate(q.value)}
            >
              {q.label}
            </Button>
          ))}
        </Group>
        {userOptions && userOptions.length > 0 ? (
          <Select
            label={t("followUps.owner")}
            data={userOptions}
            value={owner}
            onChange={(v) => v && setOwner(v)}
            allowDeselect={false}
            searchable
            error={errors.owner}
          />
        ) : (
          <TextInput
            type="email"
            label={t("followUps.ownerEmail")}
            value={owner}
            onChange={(e) => setOwner(e.currentTarget.value)}
            error={errors.owner}
          />
        )}
        {contacts.length > 0 && (
          <Select
            label={t("followUps.contact")}
            data={contacts.map((c) => ({ value: String(c.id), label: contactName(c) }))}
            value={contactId}
            onChange={setContactId}
            clearable
            error={errors.contactId}
          />
        )}
        {fieldProblem && <Alert color="red">{fieldProblem.message}</Alert>}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={() => onClose()}>
            {t("followUps.cancel")}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t("followUps.create")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function FollowUpItem({
  followUp,
  contacts,
  canUpdate,
  onComplete,
  pending,
}: {
  followUp: FollowUp;
  contacts: Contact[];
  canUpdate: boolean;
  onComplete: (f: FollowUp) => void;
  pending: boolean;
}) {
  const { t } = useTranslation();
  const session = useSession();
  const nameOf = useUserNames();
  const contact = followUp.contactId ? contacts.find((c) => c.id === followUp.contactId) : undefined;
  const mine = followUp.owner === session.data?.user.email;
  const overdue = followUp.overdue || dueGroup(followUp.dueAt) === "overdue";
  return (
    <Group
      component="li"
      justify="space-between"
      wrap="nowrap"
      align="flex-start"
      gap="xs"
      py={6}
      style={{ borderTop: "1px solid var(--mantine-color-default-border)" }}
    >
      <div style={{ minWidth: 0 }}>
        <Text size="sm" fw={500} lineClamp={2} title={followUp.note ?? undefined}>
          {followUp.subject}
        </Text>
        <Group gap={6} wrap="wrap">
          {overdue && (
            <Badge color="red" size="xs">
              {t("followUps.overdue")}
            </Badge>
          )}
          <DueText followUp={followUp} />
          {!mine && (
            <Text component="span" size="xs" c="dimmed">
              {t("followUps.forUser", { name: nameOf(followUp.owner) ?? followUp.owner })}
            </Text>
          )}
          {contact && (
            <Text component="span" size="xs" c="dimmed">
              {t("followUps.withContact", { name: contactName(contact) })}
            </Text>
          )}
        </Group>
      </div>
      {canUpdate && (
        <Button
          size="compact-xs"
          variant="light"
          color="green"
          loading={pending}
          aria-label={t("followUps.doneFor", { subject: followUp.subject })}
          onClick={() => onComplete(followUp)}
          style={{ flexShrink: 0 }}
        >
          {t("followUps.done")}
        </Button>
      )}
    </Group>
  );
}

/** Follow-ups (Wiedervorlagen) of the customer in the info panel: open ones by due date, add and complete. */
export function FollowUpsCard({
  customerId,
  contacts,
  canEdit,
}: {
  customerId: number;
  contacts: Contact[];
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const canRead = useCan("follow_ups.read");
  const canUpdate = useCan("follow_ups.update");
  const list = useCustomerFollowUps(customerId, canRead);
  const complete = useCompleteFollowUp();
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<{ text: string; color: string } | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const returnFocus = useRef(false);
  // Once the form is closed, back to the button that opened it (rendered again by then).
  useEffect(() => {
    if (!adding && returnFocus.current) {
      returnFocus.current = false;
      addButton.current?.focus();
    }
  }, [adding]);
  if (!canRead) return null;

  const closeForm = (created?: FollowUp) => {
    returnFocus.current = true;
    setAdding(false);
    if (created) setNotice({ text: t("followUps.created", { subject: created.subject }), color: "green" });
  };
  const onComplete = (f: FollowUp) => {
    setNotice(null);
    complete.mutate(f, {
      onSuccess: () => setNotice({ text: t("followUps.completed", { subject: f.subject }), color: "green" }),
      onError: (err) => setNotice({ text: completionProblem(err, t), color: "orange" }),
      // The item is gone: focus the card's heading rather than losing it to the page.
      onSettled: () => setTimeout(() => heading.current?.focus(), 0),
    });
  };

  const items = list.data?.items ?? [];
  return (
    <Card withBorder component="section" aria-label={t("followUps.title")}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={2} size="h4" ref={heading} tabIndex={-1} style={{ outlineOffset: 2 }}>
          {t("followUps.title")}
          {items.length > 0 && (
            <Badge ml={6} variant="light" size="sm" style={{ verticalAlign: "middle" }}>
              {items.length}
            </Badge>
          )}
        </Title>
        {canEdit && !adding && (
          <Button
            ref={addButton}
            size="compact-sm"
            variant="light"
            onClick={() => {
              setNotice(null);
              setAdding(true);
            }}
          >
            {t("followUps.add")}
          </Button>
        )}
      </Group>
      <Stack gap="xs">
        {adding && <NewFollowUpForm customerId={customerId} contacts={contacts} onClose={closeForm} />}
        <div role="status" aria-live="polite">
          {notice && (
            <Text size="sm" c={notice.color === "green" ? "green.8" : "orange.8"}>
              {notice.text}
            </Text>
          )}
        </div>
        {list.isPending && (
          <Stack gap={6} aria-busy="true">
            <Skeleton height={40} />
            <Skeleton height={40} />
          </Stack>
        )}
        {list.isError && <Alert color="red">{t("error.generic", { detail: list.error.message })}</Alert>}
        {list.isSuccess && items.length === 0 && (
          <Text size="sm" c="dimmed">
            {canEdit ? t("followUps.empty") : t("followUps.emptyReadOnly")}
          </Text>
        )}
        {items.length > 0 && (
          <ul style={{ listStyle: "none", margin: 0, padding: 0 }} aria-label={t("followUps.title")}>
            {items.map((f) => (
              <FollowUpItem
                key={f.id}
                followUp={f}
                contacts={contacts}
                canUpdate={canUpdate}
                onComplete={onComplete}
                pending={complete.isPending && complete.variables?.id === f.id}
              />
            ))}
          </ul>
        )}
      </Stack>
    </Card>
  );
}
