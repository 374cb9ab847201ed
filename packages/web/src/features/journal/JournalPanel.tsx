import type { Contact, JournalEntry } from "@kundenakte/contract";
import {
  Alert,
  Badge,
  Button,
  Card,
  Chip,
  Group,
  Select,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ProblemError } from "../../lib/api";
import { formatDate } from "../../lib/format";
import { AttachmentLink } from "./AttachmentLink";
import { useJournal, useLogEntry } from "./api";

const CHIP_KINDS = ["call", "email", "meeting", "letter", "note", "document", "payment", "dunning", "ticket", "system"];
const LOG_KINDS = ["call", "note", "meeting"] as const;

/** Where an entry's object is shown in the customer file (the tab, and the document to open). */
function objectLink(entry: JournalEntry): string | null {
  const link = entry.link;
  if (!link) return null;
  switch (link.type) {
    case "sales_document":
      return `?tab=documents&doc=${link.id}`;
    case "payment":
      return "?tab=open-items";
    case "dunning_notice":
      return "?tab=credit";
    case "ticket":
      return "?tab=tickets";
    default:
      return null;
  }
}

function time(iso: string, language: string): string {
  const d = new Date(iso);
  return `${formatDate(iso, language)} ${d.toLocaleTimeString(language.startsWith("en") ? "en-GB" : "de-DE", {
    hour: "2-digit",
    minute: "2-digit",
  })}`;
}

/** "Log a call / note / meeting" in three fields: kind, subject, what was said. */
function LogForm({ customerId, contacts }: { customerId: number; contacts: Contact[] }) {
  const { t } = useTranslation();
  const log = useLogEntry(customerId);
  const [kind, setKind] = useState<(typeof LOG_KINDS)[number]>("call");
  const [subject, setSubject] = useState("");
  const [body, setBody] = useState("");
  const [contactId, setContactId] = useState<string | null>(null);
  const fieldError = (field: string) =>
    log.error instanceof ProblemError ? log.error.problem.errors?.find((e) => e.field === field)?.message : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!subject.trim() && !body.trim()) return;
    log.mutate(
      {
        kind,
        subject: subject.trim() || undefined,
        body: body.trim() || undefined,
        contactId: contactId ? Number(contactId) : null,
      },
      {
        onSuccess: () => {
          setSubject("");
          setBody("");
        },
      },
    );
  };
  return (
    <form onSubmit={submit} aria-label={t("journal.log")}>
      <Stack gap="xs">
        <Group gap="xs" align="flex-end">
          <Select
            label={t("journal.kind")}
            data={LOG_KINDS.map((k) => ({ value: k, label: t(`journal.kinds.${k}`) }))}
            value={kind}
            onChange={(v) => v && setKind(v as (typeof LOG_KINDS)[number])}
            allowDeselect={false}
            w={140}
          />
          {contacts.length > 0 && (
            <Select
              label={t("journal.contact")}
              data={contacts.map((c) => ({
                value: String(c.id),
                label: [c.firstName, c.lastName].filter(Boolean).join(" "),
              }))}
              value={contactId}
              onChange={setContactId}
              clearable
              w={200}
            />
          )}
          <TextInput
            label={t("journal.subject")}
            value={subject}
            onChange={(e) => setSubject(e.currentTarget.value)}
            maxLength={300}
            error={fieldError("subject")}
            style={{ flex: 1 }}
          />
        </Group>
        <Textarea
          label={t("journal.body")}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          autosize
          minRows={2}
          maxRows={8}
          error={fieldError("body")}
        />
        <Group justify="space-between">
          <Text size="xs" c={log.isError ? "red" : "dimmed"}>
            {log.isError ? log.error.message : t("journal.logHint")}
          </Text>
          <Button type="submit" loading={log.isPending} disabled={!subject.trim() && !body.trim()}>
            {t("journal.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Entry({ entry, contacts }: { entry: JournalEntry; contacts: Contact[] }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const contact = entry.contactId ? contacts.find((c) => c.id === entry.contactId) : undefined;
  // A finance event the user may not see the figures of comes without subject: named by the event.
  const title = entry.financeWithheld ? t(`journal.withheld.${entry.financeWithheld}`) : entry.subject;
  return (
    <Card withBorder padding="xs" component="article" aria-label={title ?? t(`journal.kinds.${entry.kind}`)}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
          <Badge variant="light" size="sm" style={{ flexShrink: 0 }}>
            {t(`journal.kinds.${entry.kind}`)}
          </Badge>
          <Text size="sm" fw={500} truncate>
            {title ?? "–"}
          </Text>
        </Group>
        <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
          {time(entry.occurredAt, i18n.language)}
        </Text>
      </Group>
      <Text size="xs" c="dimmed">
        {entry.author}
        {contact && ` · ${[contact.firstName, contact.lastName].filter(Boolean).join(" ")}`}
        {entry.attachments.length > 0 && ` · ${t("journal.attachments", { count: entry.attachments.length })}`}
      </Text>
      {entry.financeWithheld && (
        <Text size="xs" c="dimmed" fs="italic">
          {t("journal.withheldNote")}
        </Text>
      )}
      {entry.body && (
        <>
          <Text size="sm" lineClamp={open ? undefined : 2} style={{ whiteSpace: "pre-wrap" }}>
            {entry.body}
          </Text>
          {entry.body.length > 160 && (
            <Button variant="subtle" size="compact-xs" onClick={() => setOpen(!open)} aria-expanded={open}>
              {open ? t("journal.less") : t("journal.more")}
            </Button>
          )}
        </>
      )}
      {objectLink(entry) && (
        <Text size="xs">
          <Link to={objectLink(entry)!} preventScrollReset={false}>
            {t("journal.openObject", { kind: t(`journal.kinds.${entry.kind}`) })}
          </Link>
        </Text>
      )}
      {entry.attachments.map((a) => (
        <Text key={a.id} size="xs">
          <AttachmentLink
            href={`/api/v1/customers/${entry.customerId}/journal/${entry.id}/attachments/${a.id}`}
            filename={a.filename}
          />
        </Text>
      ))}
    </Card>
  );
}

/**
 * The journal part of the customer file: filter chips by kind with counts, full text, the
 * entries newest first with endless scrolling, and the log form on top.
 */
export function JournalPanel({
  customerId,
  contacts,
  canLog,
}: {
  customerId: number;
  contacts: Contact[];
  canLog: boolean;
}) {
  const { t } = useTranslation();
  const [kinds, setKinds] = useState<string[]>([]);
  const [q, setQ] = useState("");
  const [debouncedQ] = useDebouncedValue(q, 250);
  const [contactId, setContactId] = useState<string | null>(null);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const journal = useJournal(customerId, {
    kinds,
    q: debouncedQ,
    contactId: contactId ? Number(contactId) : undefined,
    from: from || undefined,
    to: to || undefined,
  });
  const filtered = kinds.length > 0 || q !== "" || contactId !== null || from !== "" || to !== "";
  const first = journal.data?.pages[0];
  const entries = journal.data?.pages.flatMap((p) => p.items) ?? [];
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = journal;

  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasNextPage) return;
    const io = new IntersectionObserver((seen) => {
      if (seen.some((s) => s.isIntersecting) && !isFetchingNextPage) fetchNextPage();
    });
    io.observe(el);
    return () => io.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const count = (k: string) => {
    const n = first?.counts[k];
    if (n === undefined) return "";
    return first?.countsCapped ? ` ${n}+` : ` ${n}`;
  };
  return (
    <Card withBorder component="section" aria-label={t("journal.title")}>
      <Title order={2} size="h4" mb="xs">
        {t("journal.title")}
      </Title>
      <Stack gap="sm">
        {canLog && <LogForm customerId={customerId} contacts={contacts} />}
        <Group gap="xs" align="center">
          <Chip.Group multiple value={kinds} onChange={setKinds}>
            {CHIP_KINDS.filter((k) => (first?.counts[k] ?? 0) > 0 || kinds.includes(k)).map((k) => (
              <Chip key={k} value={k} size="xs">
                {t(`journal.kinds.${k}`)}
                {count(k)}
              </Chip>
            ))}
          </Chip.Group>
        </Group>
        <Group gap="xs" align="end" wrap="wrap">
          <TextInput
            size="xs"
            placeholder={t("journal.search")}
            aria-label={t("journal.search")}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            style={{ flex: "1 1 12rem" }}
          />
          {contacts.length > 0 && (
            <Select
              size="xs"
              aria-label={t("journal.filterContact")}
              placeholder={t("journal.filterContact")}
              clearable
              value={contactId}
              onChange={setContactId}
              data={contacts.map((c) => ({
                value: String(c.id),
                label: [c.firstName, c.lastName].filter(Boolean).join(" "),
              }))}
              w={215}
            />
          )}
          <TextInput
            size="xs"
            type="date"
            aria-label={t("journal.from")}
            title={t("journal.from")}
            value={from}
            max={to || undefined}
            onChange={(e) => setFrom(e.currentTarget.value)}
            w={135}
          />
          <TextInput
            size="xs"
            type="date"
            aria-label={t("journal.to")}
            title={t("journal.to")}
            value={to}
            min={from || undefined}
            onChange={(e) => setTo(e.currentTarget.value)}
            w={135}
          />
          {filtered && (
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => {
                setKinds([]);
                setQ("");
                setContactId(null);
                setFrom("");
                setTo("");
              }}
            >
              {t("journal.resetFilters")}
            </Button>
          )}
        </Group>
        {journal.isPending && (
          <Stack gap="xs">
            <Skeleton height={56} />
            <Skeleton height={56} />
          </Stack>
        )}
        {journal.isError && <Alert color="red">{journal.error.message}</Alert>}
        {journal.isSuccess && entries.length === 0 && (
          <Text c="dimmed" size="sm">
            {filtered ? t("journal.noMatches") : t("journal.empty")}
          </Text>
        )}
        {entries.map((e) => (
          <Entry key={e.id} entry={e} contacts={contacts} />
        ))}
        <div ref={sentinel} />
        {isFetchingNextPage && <Skeleton height={56} />}
      </Stack>
    </Card>
  );
}
