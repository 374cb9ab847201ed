import type { HistoryEntry } from "@kundenakte/contract";
import { Alert, Button, Group, Skeleton, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../lib/api";
import { formatDate, formatMoney, formatNumber } from "../../lib/format";
import { problemText } from "../../lib/readable";
import { useSession } from "../auth/session";
import { useUserNames } from "../followups/api";
import { formatDateTime } from "../followups/time";

interface HistoryPage {
  items: HistoryEntry[];
  nextCursor: string | null;
}

const PAGE = 25;
/** Changes shown per entry before "show all" (a created customer lists every filled field). */
const FIELDS_SHOWN = 6;
/** Longer values are cut; the whole value is in the title. */
const MAX_TEXT = 80;

function useHistory(customerId: number) {
  return useInfiniteQuery({
    queryKey: ["customers", customerId, "history"],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const q = new URLSearchParams({ limit: String(PAGE) });
      if (pageParam) q.set("cursor", pageParam);
      return api<HistoryPage>(`/customers/${customerId}/history?${q}`);
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Fields that hold a user's e-mail: shown with the user's name where it is known. */
const USER_FIELDS = new Set(["owner", "createdBy", "completedBy", "author", "deletedBy"]);
/** Derived at the time of the change and repeated on every record; they say nothing here. */
const HIDDEN_FIELDS = new Set(["customerName", "overdue"]);

type Names = (email: string) => string | undefined;

/** A stored value as people read it: dates and money formatted, enums translated, lists joined. */
export function readable(field: string, value: unknown, t: TFunction, language: string, names?: Names): string {
  if (value === null || value === undefined || value === "") return "";
  if (typeof value === "string" && USER_FIELDS.has(field) && names) {
    const name = names(value);
    return name ? `${name} (${value})` : value;
  }
  if (typeof value === "boolean") return value ? t("changes.yes") : t("changes.no");
  if (typeof value === "number") {
    return field.endsWith("Cents") ? formatMoney(value, "EUR", language) : formatNumber(value, language);
  }
  if (typeof value === "string") {
    if (DATE_ONLY.test(value)) return formatDate(value, language);
    if (DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) return formatDateTime(value, language);
    if (["status", "kind", "type", "salutation", "direction", "preferredChannel"].includes(field)) {
      return t(`changes.values.${value}`, { defaultValue: t(`journal.kinds.${value}`, { defaultValue: value }) });
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => readable(field, v, t, language, names)).join(", ");
  if (typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (field === "moved") return movedCounts(o, t, language);
    if (field === "block" && typeof o.type === "string") {
      const type = t(`changes.blocks.${o.type}`, { defaultValue: o.type });
      return o.reason ? t("changes.blockOf", { type, reason: o.reason }) : type;
    }
    return Object.entries(o)
      .filter(([, v]) => v !== null && v !== undefined && v !== "")
      .map(([k, v]) => `${t(`changes.fields.${k}`, { defaultValue: k })}: ${readable(k, v, t, language, names)}`)
      .join(" · ");
  }
  return String(value);
}

/** Bookkeeping sums moved along with a merge: not records a user knows. */
const MOVED_HIDDEN = new Set(["journal_counts"]);

/** A merge's moved records per kind, in words ("Journaleinträge: 3, weitere Einträge: 1"). */
function movedCounts(moved: Record<string, unknown>, t: TFunction, language: string): string {
  return Object.entries(moved)
    .filter(([kind, n]) => typeof n === "number" && n > 0 && !MOVED_HIDDEN.has(kind))
    .map(
      ([kind, n]) =>
        `${t(`merge.kinds.${kind}`, { defaultValue: t("merge.kinds.other") })}: ${formatNumber(n as number, language)}`,
    )
    .join(", ");
}

/** One value: cut when long (the whole text in the title), "leer" when empty. */
function Value({ text, struck }: { text: string; struck?: boolean }) {
  const { t } = useTranslation();
  if (!text) {
    return (
      <Text component="span" size="sm" c="dimmed" fs="italic">
        {t("changes.emptyValue")}
      </Text>
    );
  }
  const cut = text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
  return (
    <Text
      component={struck ? "del" : "span"}
      size="sm"
      c={struck ? "dimmed" : undefined}
      title={cut !== text ? text : undefined}
      style={{ overflowWrap: "anywhere" }}
    >
      {cut}
    </Text>
  );
}

function Changes({ entry, names }: { entry: HistoryEntry; names: Names }) {
  const { t, i18n } = useTranslation();
  const [all, setAll] = useState(false);
  const show = (field: string, value: unknown) => readable(field, value, t, i18n.language, names);
  // A create lists what was filled in, a delete what was there: the empty side says nothing.
  const changes = entry.changes.filter((c) =>
    HIDDEN_FIELDS.has(c.field)
      ? false
      : entry.action === "create"
        ? show(c.field, c.new) !== ""
        : entry.action === "delete"
          ? show(c.field, c.old) !== ""
          : true,
  );
  if (changes.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t("changes.noFields")}
      </Text>
    );
  }
  const shown = all ? changes : changes.slice(0, FIELDS_SHOWN);
  return (
    <>
      <ul style={{ margin: 0, paddingLeft: "1rem" }}>
        {shown.map((c) => {
          const label = t(`changes.fields.${c.field}`, {
            defaultValue: t(`edit.fields.${c.field}`, { defaultValue: c.field }),
          });
          const before = show(c.field, c.old);
          const after = show(c.field, c.new);
          return (
            <li key={c.field}>
              <Text component="span" size="sm" fw={500}>
                {label}:
              </Text>{" "}
              {entry.action === "create" ? (
                <Value text={after} />
              ) : entry.action === "delete" ? (
                <Value text={before} struck />
              ) : (
                <>
                  <VisuallyHidden>{t("changes.before")}</VisuallyHidden>
                  <Value text={before} />
                  <Text component="span" size="sm" c="dimmed" aria-hidden>
                    {" → "}
                  </Text>
                  <VisuallyHidden>{t("changes.after")}</VisuallyHidden>
                  <Value text={after} />
                </>
              )}
            </li>
          );
        })}
      </ul>
      {changes.length > FIELDS_SHOWN && (
        <Button variant="subtle" size="compact-xs" onClick={() => setAll(!all)} aria-expanded={all}>
          {all ? t("changes.showLess") : t("changes.showAll", { count: changes.length })}
        </Button>
      )}
    </>
  );
}

function SkeletonRows() {
  return (
    <>
      {[0, 1, 2, 3, 4].map((i) => (
        <Table.Tr key={i}>
          {[0, 1, 2, 3].map((j) => (
            <Table.Td key={j}>
              <Skeleton height={18} />
            </Table.Td>
          ))}
        </Table.Tr>
      ))}
    </>
  );
}

/** The "change history" tab: who changed which field of the customer when, from what to what. */
export function ChangeHistoryPanel({ customerId }: { customerId: number }) {
  const { t, i18n } = useTranslation();
  const history = useHistory(customerId);
  const session = useSession();
  const nameOf = useUserNames();
  const entries = history.data?.pages.flatMap((p) => p.items) ?? [];

  const actor = (email: string) => {
    if (email === "system") return { name: t("changes.system"), detail: undefined };
    const name = nameOf(email);
    const you = email === session.data?.user.email;
    return { name: name ?? email, detail: name ? (you ? `${t("changes.you")} · ${email}` : email) : undefined };
  };

  if (history.isError) {
    return <Alert color="red">{problemText(t, history.error)}</Alert>;
  }
  if (history.isSuccess && entries.length === 0) {
    return <Text c="dimmed">{t("changes.empty")}</Text>;
  }
  return (
    <Stack gap="sm">
      <Table layout="fixed" verticalSpacing={6} aria-label={t("changes.table")} aria-busy={history.isPending}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={150}>{t("changes.at")}</Table.Th>
            <Table.Th w={220}>{t("changes.actor")}</Table.Th>
            <Table.Th w={200}>{t("changes.what")}</Table.Th>
            <Table.Th>{t("changes.details")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {history.isPending ? (
            <SkeletonRows />
          ) : (
            entries.map((e) => {
              const who = actor(e.actor);
              return (
                <Table.Tr key={e.id} style={{ verticalAlign: "top" }}>
                  <Table.Td>
                    <Text size="sm" component="time" dateTime={e.at}>
                      {formatDateTime(e.at, i18n.language)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" truncate title={e.actor}>
                      {who.name}
                    </Text>
                    {who.detail && (
                      <Text size="xs" c="dimmed" truncate title={who.detail}>
                        {who.detail}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {t("changes.whatDone", {
                        entity: t(`changes.entities.${e.entityType}`, { defaultValue: e.entityType }),
                        action: t(`changes.actions.${e.action}`, { defaultValue: e.action }),
                      })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Changes entry={e} names={nameOf} />
                  </Table.Td>
                </Table.Tr>
              );
            })
          )}
        </Table.Tbody>
      </Table>
      {history.hasNextPage && (
        <Group justify="center">
          <Button variant="default" onClick={() => history.fetchNextPage()} loading={history.isFetchingNextPage}>
            {t("changes.more")}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
