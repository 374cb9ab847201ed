import type { SalesDocument, SalesDocumentSummary } from "@kundenakte/contract";
import { Alert, Anchor, Badge, Box, Button, Group, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { Fragment, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { formatDate, formatMoney, formatNumber } from "../../lib/format";
import { useCustomerDocuments, useDocument } from "./api";
import { NUM, problemText, SkeletonRows, STATUS_COLOR } from "./shared";

interface ChainStep {
  id: number;
  type: SalesDocumentSummary["type"] | null;
  number: string;
}

/**
 * Where a document stands in its chain (quote → order → delivery note → invoice, and credit
 * notes on invoices): its predecessors by their references, its followers among the documents
 * loaded so far (followers are newer, so they are on the first pages).
 */
export function chainOf(doc: SalesDocumentSummary, list: SalesDocumentSummary[]): ChainStep[] {
  const byId = new Map(list.map((d) => [d.id, d]));
  const up: ChainStep[] = [];
  let refId = doc.referenceId;
  let refNumber = doc.referenceNumber;
  while (refId !== null && up.length < 20) {
    const known = byId.get(refId);
    if (!known) {
      up.unshift({ id: refId, type: null, number: refNumber ?? String(refId) });
      break;
    }
    up.unshift({ id: known.id, type: known.type, number: known.number });
    refId = known.referenceId;
    refNumber = known.referenceNumber;
  }
  const down: ChainStep[] = [];
  const visit = (id: number) => {
    const followers = list
      .filter((d) => d.referenceId === id)
      .sort((a, b) => a.documentDate.localeCompare(b.documentDate) || a.id - b.id);
    for (const f of followers) {
      if (down.length >= 50 || down.some((s) => s.id === f.id)) continue;
      down.push({ id: f.id, type: f.type, number: f.number });
      visit(f.id);
    }
  };
  visit(doc.id);
  return [...up, { id: doc.id, type: doc.type, number: doc.number }, ...down];
}

/** A document's lines, totals, terms and chain, under its row. */
function DocumentDetail({
  customerId,
  summary,
  list,
  onOpen,
}: {
  customerId: number;
  summary: SalesDocumentSummary;
  list: SalesDocumentSummary[];
  onOpen: (id: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const detail = useDocument(customerId, summary.id);
  const money = (cents: number) => formatMoney(cents, summary.currency, lang);
  const chain = chainOf(summary, list);
  const loaded = new Set(list.map((d) => d.id));
  const label = `${t(`documentType.${summary.type}`)} ${summary.number}`;

  if (detail.isError) return <Alert color="red">{problemText(t, detail.error)}</Alert>;
  const doc: SalesDocument | undefined = detail.data;
  return (
    <Stack gap="xs" py="xs" px="sm" role="region" aria-label={t("documentDetail.region", { document: label })}>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Title order={3} size="h5">
          {label}
        </Title>
        {chain.length > 1 && (
          <Box component="nav" aria-label={t("documentDetail.chain")}>
            <Group gap={4} component="ol" m={0} p={0} style={{ listStyle: "none" }}>
              <Text component="li" size="sm" c="dimmed">
                {t("documentDetail.chain")}:
              </Text>
              {chain.map((step, i) => {
                const name = `${step.type ? `${t(`documentType.${step.type}`)} ` : ""}${step.number}`;
                return (
                  <Text component="li" size="sm" key={step.id}>
                    {i > 0 && <span aria-hidden="true">→ </span>}
                    {step.id === summary.id ? (
                      <Text span fw={700} size="sm" aria-current="true">
                        {name}
                      </Text>
                    ) : loaded.has(step.id) ? (
                      <Anchor component="button" type="button" size="sm" onClick={() => onOpen(step.id)}>
                        {name}
                      </Anchor>
                    ) : (
                      name
                    )}
                  </Text>
                );
              })}
            </Group>
          </Box>
        )}
      </Group>
      {doc ? (
        <Group gap="lg" wrap="wrap">
          <Text size="sm">
            {t("documentDetail.date")}: {formatDate(doc.documentDate, lang)}
          </Text>
          {doc.validUntil && (
            <Text size="sm">
              {t("documentDetail.validUntil")}: {formatDate(doc.validUntil, lang)}
            </Text>
          )}
          {doc.terms && (
            <Text size="sm">
              {t("documentDetail.dueDate")}: {formatDate(doc.terms.dueDate, lang)}
            </Text>
          )}
          {doc.paymentTermsText && (
            <Text size="sm">
              {t("documentDetail.paymentTerms")}: {doc.paymentTermsText}
            </Text>
          )}
          {doc.terms?.discounts.map((d) => (
            <Text size="sm" key={d.until}>
              {t("documentDetail.discountUntil", {
                percent: formatNumber(d.percent, lang, 2),
                date: formatDate(d.until, lang),
                amount: money(d.amountCents),
              })}
            </Text>
          ))}
        </Group>
      ) : (
        <Skeleton height={18} width="60%" />
      )}
      <Table.ScrollContainer minWidth={720}>
        <Table
          withTableBorder
          tabularNums
          aria-label={t("documentDetail.lines", { document: label })}
          aria-busy={detail.isPending}
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th {...NUM}>{t("documentDetail.position")}</Table.Th>
              <Table.Th>{t("documentDetail.articleNumber")}</Table.Th>
              <Table.Th>{t("documentDetail.text")}</Table.Th>
              <Table.Th {...NUM}>{t("documentDetail.quantity")}</Table.Th>
              <Table.Th {...NUM}>{t("documentDetail.unitPrice")}</Table.Th>
              <Table.Th {...NUM}>{t("documentDetail.discount")}</Table.Th>
              <Table.Th {...NUM}>{t("documentDetail.vat")}</Table.Th>
              <Table.Th {...NUM}>{t("documentDetail.net")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!doc && <SkeletonRows columns={8} rows={2} />}
            {doc?.lines.map((l) => (
              <Table.Tr key={l.position}>
                <Table.Td {...NUM}>{l.position}</Table.Td>
                <Table.Td style={{ whiteSpace: "nowrap" }}>{l.articleNumber ?? "–"}</Table.Td>
                <Table.Td>
                  {l.text}
                  {l.priceSourceText && (
                    <Text size="xs" c="dimmed">
                      {l.priceSourceText}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td {...NUM}>
                  {formatNumber(l.quantity, lang)} {l.unit}
                </Table.Td>
                <Table.Td {...NUM}>{money(l.unitPriceCents)}</Table.Td>
                <Table.Td {...NUM}>
                  {l.discountPercent > 0 ? `${formatNumber(l.discountPercent, lang, 2)} %` : "–"}
                </Table.Td>
                <Table.Td {...NUM}>{formatNumber(l.vatRatePercent, lang, 2)} %</Table.Td>
                <Table.Td {...NUM}>{money(l.netCents)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
          {doc && (
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th colSpan={7} ta="right">
                  {t("documentDetail.netTotal")}
                </Table.Th>
                <Table.Td {...NUM}>{money(doc.netCents)}</Table.Td>
              </Table.Tr>
              {doc.vatPerRate.map((v) => (
                <Table.Tr key={v.vatRatePercent}>
                  <Table.Th colSpan={7} ta="right" fw={400}>
                    {t("documentDetail.vatOn", {
                      rate: formatNumber(v.vatRatePercent, lang, 2),
                      net: money(v.netCents),
                    })}
                  </Table.Th>
                  <Table.Td {...NUM}>{money(v.vatCents)}</Table.Td>
                </Table.Tr>
              ))}
              <Table.Tr>
                <Table.Th colSpan={7} ta="right">
                  {t("documentDetail.grossTotal")}
                </Table.Th>
                <Table.Td {...NUM} fw={700}>
                  {money(doc.grossCents)}
                </Table.Td>
              </Table.Tr>
              {doc.openCents !== null && (
                <Table.Tr>
                  <Table.Th colSpan={7} ta="right">
                    {t(doc.type === "credit_note" ? "documentDetail.openCredit" : "documentDetail.open")}
                  </Table.Th>
                  <Table.Td {...NUM} fw={700} c={doc.openCents > 0 ? "red" : "green"}>
                    {money(doc.openCents)}
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tfoot>
          )}
        </Table>
      </Table.ScrollContainer>
      {doc?.note && (
        <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
          {t("documentDetail.note")}: {doc.note}
        </Text>
      )}
    </Stack>
  );
}

/** Quotes, orders, delivery notes, invoices and credit notes, newest first; a row opens its lines and chain. */
export function DocumentsPanel({ customerId }: { customerId: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const docs = useCustomerDocuments(customerId);
  const items: SalesDocumentSummary[] = docs.data?.pages.flatMap((p) => p.items) ?? [];
  // `?doc=42` (a journal entry's link) opens that document.
  const [params] = useSearchParams();
  const asked = Number(params.get("doc")) || null;
  const [openId, setOpenId] = useState<number | null>(asked);
  const buttons = useRef(new Map<number, HTMLButtonElement>());
  const [focusId, setFocusId] = useState<number | null>(asked);
  // A link followed while the panel is already open (documents is the first tab).
  useEffect(() => {
    if (asked === null) return;
    setOpenId(asked);
    setFocusId(asked);
  }, [asked]);

  // A document opened from another's chain or a link: its row gets the focus and comes into view
  // (once its page has arrived).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs again when more rows arrive
  useEffect(() => {
    if (focusId === null) return;
    const el = buttons.current.get(focusId);
    if (!el) return;
    el.focus();
    el.scrollIntoView({ block: "nearest" });
    setFocusId(null);
  }, [focusId, items.length]);

  const toggle = (id: number) => setOpenId((current) => (current === id ? null : id));
  const openFromChain = (id: number) => {
    setOpenId(id);
    setFocusId(id);
  };

  if (docs.isError) return <Alert color="red">{problemText(t, docs.error)}</Alert>;
  if (docs.isSuccess && items.length === 0) return <Text c="dimmed">{t("documents.empty")}</Text>;
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {t("documentDetail.hint")}
      </Text>
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
            {items.map((d) => {
              const open = openId === d.id;
              return (
                <Fragment key={d.id}>
                  <Table.Tr
                    onClick={() => toggle(d.id)}
                    style={{ cursor: "pointer" }}
                    bg={open ? "var(--mantine-color-blue-light)" : undefined}
                  >
                    <Table.Td style={{ whiteSpace: "nowrap" }}>
                      <Anchor
                        component="button"
                        type="button"
                        ref={(el: HTMLButtonElement | null) => {
                          if (el) buttons.current.set(d.id, el);
                          else buttons.current.delete(d.id);
                        }}
                        aria-expanded={open}
                        aria-controls={open ? `document-${d.id}-detail` : undefined}
                        title={t(open ? "documentDetail.hide" : "documentDetail.show")}
                        onClick={(e) => {
                          e.stopPropagation();
                          toggle(d.id);
                        }}
                      >
                        <span aria-hidden="true" style={{ display: "inline-block", width: "1.1em" }}>
                          {open ? "▾" : "▸"}
                        </span>
                        <span>{d.number}</span>
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{t(`documentType.${d.type}`)}</Table.Td>
                    <Table.Td>{formatDate(d.documentDate, lang)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={STATUS_COLOR[d.status] ?? "gray"}>
                        {t(`documentStatus.${d.status}`, { defaultValue: d.status })}
                      </Badge>
                    </Table.Td>
                    <Table.Td {...NUM}>{formatMoney(d.grossCents, d.currency, lang)}</Table.Td>
                    <Table.Td {...NUM}>
                      {d.openCents === null ? "–" : formatMoney(d.openCents, d.currency, lang)}
                    </Table.Td>
                  </Table.Tr>
                  {open && (
                    <Table.Tr id={`document-${d.id}-detail`}>
                      <Table.Td colSpan={6} p={0}>
                        <DocumentDetail customerId={customerId} summary={d} list={items} onOpen={openFromChain} />
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              );
            })}
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
