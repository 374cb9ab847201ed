import type { OpenItem, SalesDocumentSummary } from "@kundenakte/contract";
import { Alert, Badge, Button, Group, Skeleton, Stack, Table, Text } from "@mantine/core";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { ProblemError } from "../../lib/api";
import { formatDate, formatMoney, formatNumber } from "../../lib/format";
import { useCustomerDocuments, useOpenItems, useProductHistory } from "./api";

const BUCKETS: OpenItem["bucket"][] = ["not_due", "1_30", "31_60", "61_90", "over_90"];
const BUCKET_COLOR: Record<OpenItem["bucket"], string> = {
  not_due: "gray",
  "1_30": "yellow",
  "31_60": "orange",
  "61_90": "red",
  over_90: "red",
};

const STATUS_COLOR: Record<string, string> = {
  open: "blue",
  accepted: "green",
  delivered: "green",
  paid: "green",
  settled: "green",
  partly_delivered: "yellow",
  partly_paid: "yellow",
  partly_settled: "yellow",
  rejected: "gray",
  expired: "gray",
  cancelled: "gray",
};

/** Right-aligned, unbroken cells for amounts and numbers. */
const NUM = { ta: "right", style: { whiteSpace: "nowrap" } } as const;

function problemText(t: TFunction, error: Error): string {
  if (error instanceof ProblemError && error.status === 403) return t("error.forbidden");
  return t("error.generic", { detail: error.message });
}

/** Placeholder rows under the real table head, so the table does not jump when the data arrives. */
function SkeletonRows({ columns, rows = 4 }: { columns: number; rows?: number }) {
  return Array.from({ length: rows }, (_, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: placeholders without identity
    <Table.Tr key={i}>
      <Table.Td colSpan={columns}>
        <Skeleton height={16} my={3} />
      </Table.Td>
    </Table.Tr>
  ));
}

/** Quotes, orders, delivery notes, invoices and credit notes, newest first. */
export function DocumentsPanel({ customerId }: { customerId: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const docs = useCustomerDocuments(customerId);
  const items: SalesDocumentSummary[] = docs.data?.pages.flatMap((p) => p.items) ?? [];

  if (docs.isError) return <Alert color="red">{problemText(t, docs.error)}</Alert>;
  if (docs.isSuccess && items.length === 0) return <Text c="dimmed">{t("documents.empty")}</Text>;
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={640}>
        <Table striped highlightOnHover tabularNums aria-label={t("documents.tab")} aria-busy={docs.isPending}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("documents.number")}</Table.Th>
              <Table.Th>{t("documents.type")}</Table.Th>
              <Table.Th>{t("documents.date")}</Table.Th>
              <Table.Th>{t("documents.status")}</Table.Th>
              <Table.Th ta="right">{t("documents.gross")}</Table.Th>
              <Table.Th ta="right">{t("documents.open")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {docs.isPending && <SkeletonRows columns={6} />}
            {items.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td style={{ whiteSpace: "nowrap" }}>{d.number}</Table.Td>
                <Table.Td>{t(`documentType.${d.type}`)}</Table.Td>
                <Table.Td>{formatDate(d.documentDate, lang)}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={STATUS_COLOR[d.status] ?? "gray"}>
                    {t(`documentStatus.${d.status}`, { defaultValue: d.status })}
                  </Badge>
                </Table.Td>
                <Table.Td {...NUM}>{formatMoney(d.grossCents, d.currency, lang)}</Table.Td>
                <Table.Td {...NUM}>{d.openCents === null ? "–" : formatMoney(d.openCents, d.currency, lang)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {docs.hasNextPage && (
        <Button variant="light" onClick={() => docs.fetchNextPage()} loading={docs.isFetchingNextPage}>
          {t("documents.more")}
        </Button>
      )}
    </Stack>
  );
}

/** What the customer buys: per product, best-selling first. */
export function PurchaseHistoryPanel({ customerId, currency }: { customerId: number; currency: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const history = useProductHistory(customerId);

  if (history.isError) return <Alert color="red">{problemText(t, history.error)}</Alert>;
  if (history.isSuccess && history.data.items.length === 0) return <Text c="dimmed">{t("history.empty")}</Text>;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover tabularNums aria-label={t("history.tab")} aria-busy={history.isPending}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("history.articleNumber")}</Table.Th>
            <Table.Th>{t("history.name")}</Table.Th>
            <Table.Th ta="right">{t("history.quantity")}</Table.Th>
            <Table.Th ta="right">{t("history.revenue")}</Table.Th>
            <Table.Th>{t("history.lastDate")}</Table.Th>
            <Table.Th ta="right">{t("history.lastPrice")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {history.isPending && <SkeletonRows columns={6} />}
          {history.data?.items.map((p) => (
            <Table.Tr key={p.productId}>
              <Table.Td style={{ whiteSpace: "nowrap" }}>{p.articleNumber}</Table.Td>
              <Table.Td>{p.name}</Table.Td>
              <Table.Td {...NUM}>
                {formatNumber(p.quantity, lang)} {p.unit}
              </Table.Td>
              <Table.Td {...NUM}>{formatMoney(p.revenueCents, currency, lang)}</Table.Td>
              <Table.Td>{formatDate(p.lastDate, lang)}</Table.Td>
              <Table.Td {...NUM}>{formatMoney(p.lastPriceCents, currency, lang)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Open invoices and credit notes with ageing (finance and admin). */
export function OpenItemsPanel({ customerId, currency }: { customerId: number; currency: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const open = useOpenItems(customerId);
  const money = (cents: number) => formatMoney(cents, currency, lang);

  if (open.isError) return <Alert color="red">{problemText(t, open.error)}</Alert>;
  const data = open.data;
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
        <Table striped highlightOnHover tabularNums aria-label={t("openItems.tab")} aria-busy={open.isPending}>
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
            {open.isPending && <SkeletonRows columns={6} />}
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
