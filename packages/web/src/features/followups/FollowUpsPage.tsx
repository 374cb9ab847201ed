import type { FollowUp } from "@kundenakte/contract";
import { Alert, Anchor, Badge, Button, Card, Group, Select, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { serverNow } from "../../lib/clock";
import { problemText } from "../../lib/readable";
import { useSession } from "../auth/session";
import { useCompleteFollowUp, useUserFollowUps, useUsers } from "./api";
import { completionProblem, DueText } from "./FollowUpsCard";
import { type DueGroup, dueGroup } from "./time";

const GROUPS: DueGroup[] = ["overdue", "today", "later"];

function FollowUpRows({
  items,
  onComplete,
  pendingId,
}: {
  items: FollowUp[];
  onComplete: (f: FollowUp) => void;
  pendingId: number | null;
}) {
  const { t } = useTranslation();
  return (
    <Table.Tbody>
      {items.map((f) => (
        <Table.Tr key={f.id}>
          <Table.Td style={{ whiteSpace: "nowrap" }}>
            <DueText followUp={f} size="sm" bare />
          </Table.Td>
          <Table.Td>
            <Anchor component={Link} to={`/customers/${f.customerId}`} size="sm">
              {f.customerName}
            </Anchor>
          </Table.Td>
          <Table.Td>
            <Text size="sm">{f.subject}</Text>
            {f.note && (
              <Text size="xs" c="dimmed" lineClamp={1} title={f.note}>
                {f.note}
              </Text>
            )}
          </Table.Td>
          <Table.Td style={{ textAlign: "right" }}>
            <Button
              size="compact-sm"
              variant="light"
              color="green"
              loading={pendingId === f.id}
              aria-label={t("followUps.doneFor", { subject: f.subject })}
              onClick={() => onComplete(f)}
            >
              {t("followUps.done")}
            </Button>
          </Table.Td>
        </Table.Tr>
      ))}
    </Table.Tbody>
  );
}

function SkeletonTable() {
  const { t } = useTranslation();
  return (
    <Stack gap={6} aria-busy="true" aria-label={t("followUps.page.loading")}>
      {[0, 1, 2, 3, 4].map((i) => (
        <Skeleton key={i} height={36} />
      ))}
    </Stack>
  );
}

/**
 * "Wiedervorlagen": the sales clerk's day list across customers — overdue first, then due today,
 * then what comes later — with the customer a click away and "done" on every row. Administrators
 * may look at a colleague's list.
 */
export function FollowUpsPage() {
  const { t } = useTranslation();
  const session = useSession();
  const users = useUsers();
  const [owner, setOwner] = useState("me");
  const list = useUserFollowUps(owner);
  const complete = useCompleteFollowUp();
  const [notice, setNotice] = useState<{ text: string; color: string } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const now = serverNow();
  const grouped = Object.fromEntries(GROUPS.map((g) => [g, [] as FollowUp[]])) as Record<DueGroup, FollowUp[]>;
  for (const f of items) grouped[f.overdue ? "overdue" : dueGroup(f.dueAt, now)].push(f);
  const ownerName =
    owner === "me" ? session.data?.user.name : (users.data?.find((u) => u.email === owner)?.name ?? owner);

  const onComplete = (f: FollowUp) => {
    setNotice(null);
    complete.mutate(f, {
      onSuccess: () => setNotice({ text: t("followUps.completed", { subject: f.subject }), color: "green.8" }),
      onError: (err) => setNotice({ text: completionProblem(err, t), color: "orange.8" }),
      onSettled: () => setTimeout(() => heading.current?.focus(), 0),
    });
  };

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2" ref={heading} tabIndex={-1}>
            {owner === "me" ? t("followUps.page.title") : t("followUps.page.titleOf", { name: ownerName })}
          </Title>
          {list.isSuccess && items.length > 0 && (
            <Text c="dimmed" size="sm">
              {t("followUps.page.summary", {
                overdue: grouped.overdue.length,
                today: grouped.today.length,
                later: grouped.later.length,
              })}
              {list.hasNextPage ? " …" : ""}
            </Text>
          )}
        </div>
        {users.data && users.data.length > 1 && (
          <Select
            label={t("followUps.page.whose")}
            data={[
              { value: "me", label: t("followUps.me", { name: session.data?.user.name ?? "" }) },
              ...users.data
                .filter((u) => u.email !== session.data?.user.email)
                .map((u) => ({ value: u.email, label: u.name })),
            ]}
            value={owner}
            onChange={(v) => v && setOwner(v)}
            allowDeselect={false}
            searchable
            w={260}
          />
        )}
      </Group>
      <div role="status" aria-live="polite">
        {notice && (
          <Text size="sm" c={notice.color}>
            {notice.text}
          </Text>
        )}
      </div>
      {list.isPending && <SkeletonTable />}
      {list.isError && <Alert color="red">{problemText(t, list.error)}</Alert>}
      {list.isSuccess && items.length === 0 && (
        <Card withBorder>
          <Text c="dimmed">{t("followUps.page.empty")}</Text>
        </Card>
      )}
      {GROUPS.filter((g) => grouped[g].length > 0).map((g) => (
        <Card key={g} withBorder component="section" aria-label={t(`followUps.page.${g}`)}>
          <Group gap="xs" mb="xs">
            <Title order={2} size="h4" c={g === "overdue" ? "red.8" : undefined}>
              {t(`followUps.page.${g}`)}
            </Title>
            <Badge color={g === "overdue" ? "red" : g === "today" ? "blue" : "gray"} variant="light">
              {grouped[g].length}
            </Badge>
          </Group>
          <Table layout="fixed" verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={190}>{t("followUps.page.due")}</Table.Th>
                <Table.Th w="30%">{t("followUps.page.customer")}</Table.Th>
                <Table.Th>{t("followUps.page.subject")}</Table.Th>
                <Table.Th w={130} style={{ textAlign: "right" }}>
                  {t("followUps.page.action")}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <FollowUpRows
              items={grouped[g]}
              onComplete={onComplete}
              pendingId={complete.isPending ? (complete.variables?.id ?? null) : null}
            />
          </Table>
        </Card>
      ))}
      {list.hasNextPage && (
        <Group justify="center">
          <Button variant="default" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t("followUps.page.more")}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
