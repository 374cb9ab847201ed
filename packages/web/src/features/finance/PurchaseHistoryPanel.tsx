import type { RevenueReport } from "@kundenakte/contract";
import { Alert, Box, Grid, Group, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { businessToday } from "../../lib/clock";
import { formatDate, formatMoney, formatNumber, formatPercent } from "../../lib/format";
import { useProductHistory, useRevenue } from "./api";
import { NUM, problemText, SkeletonRows } from "./shared";

/** A plain CSS bar for an amount against the largest one; credit (negative) in red. */
function Bar({ cents, max, color = "blue" }: { cents: number; max: number; color?: string }) {
  const share = max > 0 ? Math.min(1, Math.abs(cents) / max) : 0;
  return (
    <Box
      aria-hidden="true"
      h={8}
      mt={2}
      style={{
        width: `${(share * 100).toFixed(1)}%`,
        minWidth: cents !== 0 ? 2 : 0,
        borderRadius: 4,
        background: `var(--mantine-color-${cents < 0 ? "red" : color}-filled)`,
      }}
    />
  );
}

/** Month names as the user's language writes them (Januar … Dezember, January … December). */
function monthNames(language: string): string[] {
  const f = new Intl.DateTimeFormat(language.startsWith("en") ? "en-GB" : "de-DE", {
    month: "long",
    timeZone: "UTC",
  });
  return Array.from({ length: 12 }, (_, m) => f.format(new Date(Date.UTC(2000, m, 1))));
}

/** Revenue this year against last year, per year and per month (net: invoices minus credit notes). */
function RevenueOverview({ report, currency }: { report: RevenueReport | undefined; currency: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const money = (cents: number) => formatMoney(cents, currency, lang);
  const today = businessToday();
  const thisYear = Number(today.slice(0, 4));
  const lastYear = thisYear - 1;

  if (report && report.years.length === 0) {
    return (
      <Box component="section" aria-label={t("revenue.title")}>
        <Title order={3} size="h5" mb={4}>
          {t("revenue.title")}
        </Title>
        <Text c="dimmed">{t("revenue.empty")}</Text>
      </Box>
    );
  }

  const yearOf = (y: number) => report?.years.find((r) => r.year === y);
  const current = yearOf(thisYear)?.netCents ?? 0;
  const previous = yearOf(lastYear)?.netCents ?? 0;
  const years = [...(report?.years ?? [])].sort((a, b) => b.year - a.year);
  const maxYear = Math.max(0, ...years.map((y) => Math.abs(y.netCents)));
  const byMonth = new Map((report?.months ?? []).map((m) => [m.month, m.netCents]));
  const monthOf = (year: number, m: number) => byMonth.get(`${year}-${String(m + 1).padStart(2, "0")}`) ?? 0;
  const names = monthNames(lang);
  const maxMonth = Math.max(
    0,
    ...names.flatMap((_, m) => [Math.abs(monthOf(thisYear, m)), Math.abs(monthOf(lastYear, m))]),
  );
  const currentMonth = Number(today.slice(5, 7)) - 1;

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack gap="sm" component="section" aria-label={t("revenue.perYear")}>
          <Title order={3} size="h5">
            {t("revenue.perYear")}
          </Title>
          {report ? (
            <Group gap="xl" align="flex-start">
              <div>
                <Text size="xs" c="dimmed">
                  {t("revenue.yearLabel", { year: thisYear })}
                </Text>
                <Text fw={700} size="lg">
                  {money(current)}
                </Text>
              </div>
              <div>
                <Text size="xs" c="dimmed">
                  {t("revenue.yearLabel", { year: lastYear })}
                </Text>
                <Text fw={700} size="lg">
                  {money(previous)}
                </Text>
              </div>
              {previous > 0 && (
                <div>
                  <Text size="xs" c="dimmed">
                    {t("revenue.change")}
                  </Text>
                  <Text fw={700} size="lg" c={current >= previous ? "green" : "red"}>
                    {current >= previous ? "+" : ""}
                    {formatPercent((current - previous) / previous, lang)}
                  </Text>
                </div>
              )}
            </Group>
          ) : (
            <Skeleton height={44} />
          )}
          <Table tabularNums verticalSpacing={4} aria-label={t("revenue.perYear")} aria-busy={!report}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("revenue.year")}</Table.Th>
                <Table.Th {...NUM}>{t("revenue.invoices")}</Table.Th>
                <Table.Th {...NUM}>{t("revenue.net")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {!report && <SkeletonRows columns={3} rows={3} />}
              {years.map((y) => (
                <Table.Tr key={y.year}>
                  <Table.Td fw={y.year === thisYear ? 700 : undefined}>{y.year}</Table.Td>
                  <Table.Td {...NUM}>{formatNumber(y.invoices, lang)}</Table.Td>
                  <Table.Td {...NUM} w="55%">
                    {money(y.netCents)}
                    <Bar cents={y.netCents} max={maxYear} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Stack gap="sm" component="section" aria-label={t("revenue.perMonth")}>
          <Title order={3} size="h5">
            {t("revenue.perMonth")}
          </Title>
          <Table tabularNums verticalSpacing={2} aria-label={t("revenue.perMonth")} aria-busy={!report}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("revenue.month")}</Table.Th>
                <Table.Th {...NUM} w="40%">
                  {thisYear}
                </Table.Th>
                <Table.Th {...NUM} w="40%">
                  {lastYear}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {!report && <SkeletonRows columns={3} rows={12} />}
              {report &&
                names.map((name, m) => {
                  const now = monthOf(thisYear, m);
                  const before = monthOf(lastYear, m);
                  const future = m > currentMonth;
                  return (
                    <Table.Tr key={name}>
                      <Table.Td fw={m === currentMonth ? 700 : undefined}>{name}</Table.Td>
                      <Table.Td {...NUM} c={future ? "dimmed" : undefined}>
                        {future && now === 0 ? "–" : money(now)}
                        <Bar cents={now} max={maxMonth} />
                      </Table.Td>
                      <Table.Td {...NUM}>
                        {money(before)}
                        <Bar cents={before} max={maxMonth} color="gray" />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
            </Table.Tbody>
          </Table>
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

/** What the customer buys: revenue per year and month, then per product, best-selling first. */
export function PurchaseHistoryPanel({ customerId, currency }: { customerId: number; currency: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const history = useProductHistory(customerId);
  const revenue = useRevenue(customerId);

  return (
    <Stack gap="lg">
      {revenue.isError ? (
        <Alert color="red">{problemText(t, revenue.error)}</Alert>
      ) : (
        <RevenueOverview report={revenue.data} currency={currency} />
      )}
      <Stack gap="xs" component="section" aria-label={t("revenue.products")}>
        <Title order={3} size="h5">
          {t("revenue.products")}
        </Title>
        {history.isError ? (
          <Alert color="red">{problemText(t, history.error)}</Alert>
        ) : history.isSuccess && history.data.items.length === 0 ? (
          <Text c="dimmed">{t("history.empty")}</Text>
        ) : (
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
        )}
      </Stack>
    </Stack>
  );
}
