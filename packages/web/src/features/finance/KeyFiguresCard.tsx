import type { KeyFigures } from "@kundenakte/contract";
import { Box, Card, Progress, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { formatDate, formatDays, formatMoney, formatNumber, formatPercent } from "../../lib/format";
import { formatDateTime } from "../followups/time";

function Figure({
  label,
  children,
  color,
  hint,
  wide,
}: {
  label: string;
  children: ReactNode;
  color?: string;
  hint?: string;
  /** Spans the whole row (a value with a text, like the next follow-up's subject). */
  wide?: boolean;
}) {
  return (
    <div style={wide ? { gridColumn: "1 / -1" } : undefined}>
      <Text component="dt" size="xs" c="dimmed">
        {label}
      </Text>
      <Text component="dd" m={0} fw={600} c={color} title={hint}>
        {children}
      </Text>
    </div>
  );
}

/** Credit used against the limit, as a bar: yellow from 90 %, red above the limit. */
function CreditBar({ used, limit, label }: { used: number; limit: number; label: string }) {
  const share = limit > 0 ? used / limit : used > 0 ? 2 : 0;
  return (
    <Progress
      mt={4}
      size="sm"
      value={Math.min(100, Math.max(0, share * 100))}
      color={share > 1 ? "red" : share >= 0.9 ? "yellow" : "blue"}
      aria-label={label}
    />
  );
}

/**
 * The key figures of the info panel. Revenue and open quotes/orders for everyone who may read
 * documents; open items, credit and payment behaviour only come for finance and admin, and
 * what does not come is not shown. The next follow-up (red when overdue) and the last contact
 * (the newest call, e-mail, meeting or letter) for everyone who sees the figures.
 */
export function KeyFiguresCard({ figures }: { figures: KeyFigures }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const money = (cents: number) => formatMoney(cents, figures.currency, lang);
  const days = (value: number | null | undefined) =>
    value === null || value === undefined ? "–" : t("figures.days", { value: formatDays(value, lang) });
  const noPayments = t("figures.noPayments");
  const limit = figures.creditLimitCents;
  const used = figures.creditUsedCents;
  const next = figures.nextFollowUp;

  return (
    <Card withBorder component="section" aria-label={t("figures.title")}>
      <Title order={2} size="h4" mb="xs">
        {t("figures.title")}
      </Title>
      <Box
        component="dl"
        m={0}
        style={{
          display: "grid",
          gridTemplateColumns: "repeat(auto-fill, minmax(11rem, 1fr))",
          gap: "var(--mantine-spacing-sm) var(--mantine-spacing-md)",
        }}
      >
        <Figure
          label={t("followUps.figures.next")}
          wide
          color={next?.overdue ? "red" : undefined}
          hint={next ? t("followUps.figures.owner", { name: next.ownerName ?? next.owner }) : undefined}
        >
          {next ? (
            <>
              {formatDateTime(next.dueAt, lang)}
              {next.overdue && ` (${t("followUps.overdue")})`} · {next.subject}
            </>
          ) : (
            <Text component="span" c="dimmed" fw={400} size="sm">
              {t("followUps.figures.none")}
            </Text>
          )}
        </Figure>
        <Figure label={t("followUps.figures.lastContact")}>
          {figures.lastContactAt && figures.lastContactKind ? (
            t("followUps.figures.lastContactValue", {
              kind: t(`journal.kinds.${figures.lastContactKind}`),
              date: formatDate(figures.lastContactAt, lang),
            })
          ) : (
            <Text component="span" c="dimmed" fw={400} size="sm">
              {t("followUps.figures.noContact")}
            </Text>
          )}
        </Figure>
        <Figure label={t("figures.revenueThisYear")}>{money(figures.revenueThisYearCents)}</Figure>
        <Figure label={t("figures.revenueLastYear")}>{money(figures.revenueLastYearCents)}</Figure>
        <Figure label={t("figures.openQuotes")}>{formatNumber(figures.openQuotes, lang)}</Figure>
        <Figure label={t("figures.openOrders")}>{formatNumber(figures.openOrders, lang)}</Figure>
        <Figure label={t("figures.openTickets")} color={figures.overdueTickets > 0 ? "red" : undefined}>
          {formatNumber(figures.openTickets, lang)}
          {figures.overdueTickets > 0 && ` (${t("figures.overdueTickets", { count: figures.overdueTickets })})`}
        </Figure>
        {figures.openItemsCents !== undefined && (
          <Figure label={t("figures.openItems")}>{money(figures.openItemsCents)}</Figure>
        )}
        {figures.overdueCents !== undefined && (
          <Figure label={t("figures.overdue")} color={figures.overdueCents > 0 ? "red" : undefined}>
            {money(figures.overdueCents)}
          </Figure>
        )}
        {used !== undefined && (
          <Figure label={t("figures.creditUsed")} color={figures.creditExceeded ? "red" : undefined}>
            {typeof limit === "number"
              ? t("figures.creditOf", { used: money(used), limit: money(limit) })
              : t("figures.creditNoLimit", { used: money(used) })}
            {typeof limit === "number" && <CreditBar used={used} limit={limit} label={t("figures.creditUsed")} />}
          </Figure>
        )}
        {used === undefined && typeof limit === "number" && (
          <Figure label={t("figures.creditLimit")}>{money(limit)}</Figure>
        )}
        {figures.averageDaysToPay !== undefined && (
          <Figure
            label={t("figures.averageDaysToPay")}
            hint={figures.averageDaysToPay === null ? noPayments : t("figures.last12Months")}
          >
            {days(figures.averageDaysToPay)}
          </Figure>
        )}
        {figures.averageDaysLate !== undefined && (
          <Figure
            label={t("figures.averageDaysLate")}
            hint={figures.averageDaysLate === null ? noPayments : t("figures.last12Months")}
          >
            {days(figures.averageDaysLate)}
          </Figure>
        )}
        {figures.onTimeShare !== undefined && (
          <Figure
            label={t("figures.onTimeShare")}
            hint={figures.onTimeShare === null ? noPayments : t("figures.last12Months")}
          >
            {figures.onTimeShare === null ? "–" : formatPercent(figures.onTimeShare, lang)}
          </Figure>
        )}
      </Box>
    </Card>
  );
}
