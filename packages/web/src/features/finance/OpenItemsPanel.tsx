import type { OpenItems, Payment } from "@kundenakte/contract";
import { Alert, Badge, Button, Group, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDate, formatMoney, formatNumber } from "../../lib/format";
import { useCan } from "../auth/session";
import { useOpenItems, usePayments } from "./api";
import { RecordPayment } from "./RecordPayment";
import { BUCKET_COLOR, BUCKETS, NUM, problemText, SkeletonRows } from "./shared";

/** Open invoices and credit notes with ageing. */
function OpenItemsTable({
  data,
  pending,
  currency,
}: {
  data: OpenItems | undefined;
  pending: boolean;
  currency: string;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const money = (cents: number) => formatMoney(cents, currency, lang);
  const credit = data && data.totals.creditCents > 0 && (
    <Text>{t("openItems.credit", { amount: money(data.totals.creditCents) })}</Text>
  );
  if (data && data.items.length === 0) {
    return (
      <Stack gap="xs">
        <Text c="dimmed">{t("openItems.empty")}</Text>
        {credit}
      </Stack>
    );
  }
  return (
    <Stack gap="xs">
      {data ? (
        <Group gap="xs" aria-label={t("openItems.ageing")} role="group">
          {BUCKETS.filter((b) => (data.totals.perBucket[b] ?? 0) !== 0).map((b) => (
            <Badge key={b} variant="light" color={BUCKET_COLOR[b]} tt="none">
              {t(`bucket.${b}`)}: {money(data.totals.perBucket[b] ?? 0)}
            </Badge>
          ))}
          <Text size="sm" c="dimmed">
            {t("openItems.onDate", { date: formatDate(data.onDate, lang) })}
          </Text>
        </Group>
      ) : (
        <Skeleton height={20} width="50%" />
      )}
      <Table.ScrollContainer minWidth={640}>
        <Table striped highlightOnHover tabularNums aria-label={t("openItems.tab")} aria-busy={pending}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("openItems.number")}</Table.Th>
              <Table.Th>{t("openItems.dueDate")}</Table.Th>
              <Table.Th ta="right">{t("openItems.daysOverdue")}</Table.Th>
              <Table.Th>{t("openItems.bucket")}</Table.Th>
              <Table.Th ta="right">{t("openItems.open")}</Table.Th>
              <Table.Th>{t("openItems.dunningLevel")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {pending && <SkeletonRows columns={6} />}
            {data?.items.map((item) => (
              <Table.Tr key={item.documentId}>
                <Table.Td style={{ whiteSpace: "nowrap" }}>
                  {item.number}
                  {item.type === "credit_note" && (
                    <Text span size="sm" c="dimmed">
                      {" "}
                      ({t("documentType.credit_note")})
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{formatDate(item.dueDate, lang)}</Table.Td>
                <Table.Td {...NUM} c={item.daysOverdue > 0 ? "red" : undefined}>
                  {item.daysOverdue > 0 ? formatNumber(item.daysOverdue, lang) : "–"}
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={BUCKET_COLOR[item.bucket]} tt="none">
                    {t(`bucket.${item.bucket}`)}
                  </Badge>
                </Table.Td>
                <Table.Td {...NUM}>{money(item.openCents)}</Table.Td>
                <Table.Td>{item.dunningLevel > 0 ? t("openItems.level", { level: item.dunningLevel }) : "–"}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          {data && (
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th colSpan={4}>{t("openItems.total")}</Table.Th>
                <Table.Th {...NUM}>{money(data.totals.openCents)}</Table.Th>
                <Table.Th />
              </Table.Tr>
              <Table.Tr>
                <Table.Td colSpan={4}>{t("openItems.overdueTotal")}</Table.Td>
                <Table.Td {...NUM} c={data.totals.overdueCents > 0 ? "red" : undefined}>
                  {money(data.totals.overdueCents)}
                </Table.Td>
                <Table.Td />
              </Table.Tr>
            </Table.Tfoot>
          )}
        </Table>
      </Table.ScrollContainer>
      {credit}
    </Stack>
  );
}

/** The customer's payments, newest first, with what each paid and what stayed as credit. */
function PaymentsTable({ customerId, currency }: { customerId: number; currency: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const payments = usePayments(customerId);
  const items: Payment[] = payments.data?.pages.flatMap((p) => p.items) ?? [];

  if (payments.isError) return <Alert color="red">{problemText(t, payments.error)}</Alert>;
  if (payments.isSuccess && items.length === 0) return <Text c="dimmed">{t("payments.empty")}</Text>;
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={720}>
        <Table striped tabularNums aria-label={t("payments.title")} aria-busy={payments.isPending}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("payments.date")}</Table.Th>
              <Table.Th {...NUM}>{t("payments.amount")}</Table.Th>
              <Table.Th>{t("payments.method")}</Table.Th>
              <Table.Th>{t("payments.reference")}</Table.Th>
              <Table.Th>{t("payments.allocatedTo")}</Table.Th>
              <Table.Th {...NUM}>{t("payments.unallocated")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {payments.isPending && <SkeletonRows columns={6} rows={3} />}
            {items.map((p) => {
              const money = (cents: number) => formatMoney(cents, p.currency || currency, lang);
              return (
                <Table.Tr key={p.id}>
                  <Table.Td style={{ whiteSpace: "nowrap" }} title={t("payments.createdBy", { name: p.createdBy })}>
                    {formatDate(p.paymentDate, lang)}
                  </Table.Td>
                  <Table.Td {...NUM}>{money(p.amountCents)}</Table.Td>
                  <Table.Td>{t(`payments.methods.${p.method}`)}</Table.Td>
                  <Table.Td>{p.reference ?? "–"}</Table.Td>
                  <Table.Td>
                    {p.allocations.length === 0
                      ? "–"
                      : p.allocations.map((a) => (
                          <Text size="sm" key={a.documentId}>
                            {a.documentNumber}: {money(a.amountCents)}
                            {a.discountCents > 0 && (
                              <Text span size="sm" c="dimmed">
                                {" "}
                                ({t("payments.discount", { amount: money(a.discountCents) })})
                              </Text>
                            )}
                          </Text>
                        ))}
                  </Table.Td>
                  <Table.Td {...NUM}>{p.unallocatedCents > 0 ? money(p.unallocatedCents) : "–"}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {payments.hasNextPage && (
        <Button variant="light" onClick={() => payments.fetchNextPage()} loading={payments.isFetchingNextPage}>
          {t("payments.more")}
        </Button>
      )}
    </Stack>
  );
}

/**
 * Open items and payments (finance and admin): what the customer owes, with ageing; the payments
 * received and how they were applied; and, for who may, recording a new payment.
 */
export function OpenItemsPanel({ customerId, currency }: { customerId: number; currency: string }) {
  const { t } = useTranslation();
  const open = useOpenItems(customerId);
  const canRecord = useCan("finance.create");
  const [recording, setRecording] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const recordButton = useRef<HTMLButtonElement>(null);
  const wasRecording = useRef(false);

  // When the form closes (saved or cancelled), the focus goes back to the button that opened it.
  useEffect(() => {
    if (wasRecording.current && !recording) recordButton.current?.focus();
    wasRecording.current = recording;
  }, [recording]);

  return (
    <Stack gap="lg">
      <Stack gap="xs" component="section" aria-label={t("payments.openItemsTitle")}>
        <Group justify="space-between">
          <Title order={3} size="h5">
            {t("payments.openItemsTitle")}
          </Title>
          {canRecord && (
            <Button
              ref={recordButton}
              size="xs"
              onClick={() => {
                setSaved(null);
                setRecording(true);
              }}
            >
              {t("payments.record")}
            </Button>
          )}
        </Group>
        <div role="status">
          {saved && (
            <Alert
              color="green"
              withCloseButton
              closeButtonLabel={t("payments.dismiss")}
              onClose={() => setSaved(null)}
            >
              {saved}
            </Alert>
          )}
        </div>
        {open.isError ? (
          <Alert color="red">{problemText(t, open.error)}</Alert>
        ) : (
          <OpenItemsTable data={open.data} pending={open.isPending} currency={currency} />
        )}
      </Stack>
      <Stack gap="xs" component="section" aria-label={t("payments.title")}>
        <Title order={3} size="h5">
          {t("payments.title")}
        </Title>
        <PaymentsTable customerId={customerId} currency={currency} />
      </Stack>
      {recording && (
        <RecordPayment
          customerId={customerId}
          currency={currency}
          openItems={open.data}
          onClose={() => setRecording(false)}
          onSaved={(text) => {
            setRecording(false);
            setSaved(text);
          }}
        />
      )}
    </Stack>
  );
}
