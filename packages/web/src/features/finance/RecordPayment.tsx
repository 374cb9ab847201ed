import {
  type FieldError,
  type OpenItems,
  PAYMENT_METHODS,
  type Payment,
  type PaymentCreate,
  PaymentCreate as PaymentCreateSchema,
} from "@kundenakte/contract";
import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  NativeSelect,
  Radio,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ProblemError } from "../../lib/api";
import { formatDate, formatMoney } from "../../lib/format";
import { validate } from "../../lib/validate";
import { financeKeys, useRecordPayment } from "./api";
import { centsToInput, parseMoney, todayIso } from "./money";
import { NUM, SkeletonRows } from "./shared";

type Method = (typeof PAYMENT_METHODS)[number];
interface Pick {
  checked: boolean;
  amount: string;
}

/**
 * "Zahlung erfassen": amount, date, method and reference, applied to the open invoices oldest
 * first or to the invoices chosen, each with its amount. Checked in the browser with the
 * contract's schema; what the server refuses (an allocation above what is open, say) appears on
 * the field it concerns, and nothing is booked.
 */
export function RecordPayment({
  customerId,
  currency,
  openItems,
  onClose,
  onSaved,
}: {
  customerId: number;
  currency: string;
  openItems: OpenItems | undefined;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const qc = useQueryClient();
  const record = useRecordPayment(customerId);
  const money = (cents: number) => formatMoney(cents, currency, lang);

  const [amount, setAmount] = useState("");
  const [paymentDate, setPaymentDate] = useState(todayIso());
  const [method, setMethod] = useState<Method>("bank_transfer");
  const [reference, setReference] = useState("");
  const [mode, setMode] = useState<"auto" | "manual">("auto");
  const [picks, setPicks] = useState<Record<number, Pick>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});

  // Only invoices take payments; oldest first, as the server applies them.
  const invoices = (openItems?.items ?? [])
    .filter((i) => i.type === "invoice" && i.openCents > 0)
    .sort((a, b) => a.documentDate.localeCompare(b.documentDate) || a.documentId - b.documentId);
  const paymentCents = parseMoney(amount, lang);
  const paid = typeof paymentCents === "number" ? paymentCents : null;
  const pickedCents = (except?: number) =>
    invoices.reduce((sum, i) => {
      const p = picks[i.documentId];
      if (!p?.checked || i.documentId === except) return sum;
      const c = parseMoney(p.amount, lang);
      return sum + (typeof c === "number" ? c : 0);
    }, 0);

  /** A changed choice makes the errors about it stale. */
  const clearAllocationErrors = (documentId: number) =>
    setErrors(({ allocations: _a, [`row:${documentId}`]: _r, ...rest }) => rest);

  const toggle = (documentId: number, openCents: number, checked: boolean) => {
    clearAllocationErrors(documentId);
    setPicks((prev) => {
      const current = prev[documentId];
      let value = current?.amount ?? "";
      if (checked && value === "") {
        // What is left of the payment, at most what is open; without an amount yet, the open amount.
        const left = paid === null ? openCents : paid - pickedCents(documentId);
        value = centsToInput(left > 0 ? Math.min(openCents, left) : openCents, lang);
      }
      return { ...prev, [documentId]: { checked, amount: value } };
    });
  };

  /** A server field error in the user's words; the amounts and numbers come from the open items. */
  const serverMessage = (e: FieldError, documentId: number | undefined, body: PaymentCreate): string => {
    const item = invoices.find((i) => i.documentId === documentId);
    const total = (body.allocations ?? []).reduce((s, a) => s + a.amountCents, 0);
    switch (e.code) {
      case "exceeds_open":
        return item
          ? t("payments.errors.exceeds_open", { number: item.number, open: money(item.openCents) })
          : e.message;
      case "not_open":
        return item ? t("payments.errors.not_open", { number: item.number }) : e.message;
      case "exceeds_payment":
        return t("payments.errors.exceeds_payment", { total: money(total), amount: money(body.amountCents) });
      case "unknown_invoice":
      case "duplicate":
      case "currency_mismatch":
        return t(`payments.errors.${e.code}`);
      default:
        return e.message;
    }
  };

  /** Where an error belongs: a field of the form, an invoice's row, or the form as a whole. */
  const placeOf = (field: string, body: PaymentCreate): { key: string; documentId?: number } => {
    const f = field.replace(/^body\//, "");
    const m = /^allocations\/(\d+)\//.exec(f);
    if (m) {
      const documentId = body.allocations?.[Number(m[1])]?.documentId;
      return documentId === undefined ? { key: "allocations" } : { key: `row:${documentId}`, documentId };
    }
    if (["amountCents", "paymentDate", "method", "reference", "allocations"].includes(f)) return { key: f };
    return { key: "form" };
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (paymentCents === null) local.amountCents = t("form.required");
    else if (paymentCents === "invalid") local.amountCents = t("payments.amountInvalid");
    else if (paymentCents <= 0) local.amountCents = t("payments.amountPositive");

    const body: PaymentCreate = {
      amountCents: typeof paymentCents === "number" ? paymentCents : 0,
      paymentDate,
      method,
      currency,
      reference: reference.trim() || null,
    };
    if (mode === "manual") {
      const allocations: NonNullable<PaymentCreate["allocations"]> = [];
      for (const i of invoices) {
        const p = picks[i.documentId];
        if (!p?.checked) continue;
        const c = parseMoney(p.amount, lang);
        if (c === null) local[`row:${i.documentId}`] = t("form.required");
        else if (c === "invalid") local[`row:${i.documentId}`] = t("payments.amountInvalid");
        else if (c <= 0) local[`row:${i.documentId}`] = t("payments.amountPositive");
        else allocations.push({ documentId: i.documentId, amountCents: c });
      }
      if (allocations.length === 0 && !Object.keys(local).some((k) => k.startsWith("row:"))) {
        local.allocations = t("payments.pickInvoice");
      }
      body.allocations = allocations;
    }
    for (const [field, message] of Object.entries(validate(PaymentCreateSchema, body, t))) {
      const place = placeOf(field, body);
      local[place.key] ??= message;
    }
    setErrors(local);
    if (Object.keys(local).length > 0) return;

    record.mutate(body, {
      onSuccess: (payment: Payment) => {
        const parts = [t("payments.saved", { amount: money(payment.amountCents) })];
        if (payment.allocations.length > 0) {
          parts.push(
            t("payments.savedAllocated", {
              list: payment.allocations.map((a) => `${a.documentNumber} ${money(a.amountCents)}`).join(", "),
            }),
          );
        }
        if (payment.unallocatedCents > 0) {
          parts.push(t("payments.savedCredit", { amount: money(payment.unallocatedCents) }));
        }
        onSaved(parts.join(" "));
      },
      onError: (err) => {
        if (!(err instanceof ProblemError)) return;
        // What is open may have changed since it was read: read it again.
        qc.invalidateQueries({ queryKey: financeKeys.openItems(customerId) });
        const next: Record<string, string> = {};
        for (const fe of err.problem.errors ?? []) {
          const place = placeOf(fe.field, body);
          next[place.key] ??= serverMessage(fe, place.documentId, body);
        }
        if (Object.keys(next).length === 0) next.form = err.problem.detail;
        setErrors(next);
      },
    });
  };

  const picked = pickedCents();
  return (
    <Modal
      opened
      onClose={onClose}
      title={t("payments.record")}
      size="xl"
      closeButtonProps={{ "aria-label": t("payments.close") }}
    >
      <form onSubmit={submit} noValidate aria-label={t("payments.record")}>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label={t("payments.amount")}
              required
              data-autofocus
              inputMode="decimal"
              autoComplete="off"
              placeholder={lang.startsWith("en") ? "1,234.56" : "1.234,56"}
              rightSection={<Text size="sm">{currency === "EUR" ? "€" : currency}</Text>}
              value={amount}
              onChange={(e) => setAmount(e.currentTarget.value)}
              error={errors.amountCents}
            />
            <TextInput
              type="date"
              label={t("payments.date")}
              required
              value={paymentDate}
              onChange={(e) => setPaymentDate(e.currentTarget.value)}
              error={errors.paymentDate}
            />
            <NativeSelect
              label={t("payments.method")}
              data={PAYMENT_METHODS.map((m) => ({ value: m, label: t(`payments.methods.${m}`) }))}
              value={method}
              onChange={(e) => setMethod(e.currentTarget.value as Method)}
              error={errors.method}
            />
            <TextInput
              label={t("payments.reference")}
              value={reference}
              onChange={(e) => setReference(e.currentTarget.value)}
              error={errors.reference}
              maxLength={200}
            />
          </SimpleGrid>
          <Radio.Group label={t("payments.allocation")} value={mode} onChange={(v) => setMode(v as "auto" | "manual")}>
            <Stack gap={6} mt={6}>
              <Radio value="auto" label={t("payments.auto")} description={t("payments.autoHint")} />
              <Radio value="manual" label={t("payments.manual")} disabled={invoices.length === 0 && !!openItems} />
            </Stack>
          </Radio.Group>
          {mode === "manual" && (
            <Stack gap={4}>
              {/* Many open invoices scroll inside, so the buttons stay in view on a laptop screen. */}
              <ScrollArea.Autosize mah={260} type="auto">
                <Table stickyHeader tabularNums aria-label={t("payments.invoices")} aria-busy={!openItems}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={40}>
                        <VisuallyHidden>{t("payments.pick")}</VisuallyHidden>
                      </Table.Th>
                      <Table.Th>{t("openItems.number")}</Table.Th>
                      <Table.Th>{t("payments.invoiceDate")}</Table.Th>
                      <Table.Th>{t("openItems.dueDate")}</Table.Th>
                      <Table.Th {...NUM}>{t("openItems.open")}</Table.Th>
                      <Table.Th {...NUM} w={180}>
                        {t("payments.allocate")}
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {!openItems && <SkeletonRows columns={6} rows={2} />}
                    {invoices.map((i) => {
                      const p = picks[i.documentId];
                      const rowError = errors[`row:${i.documentId}`];
                      return (
                        <Table.Tr key={i.documentId}>
                          <Table.Td>
                            <Checkbox
                              aria-label={t("payments.pickInvoiceLabel", { number: i.number })}
                              checked={p?.checked ?? false}
                              onChange={(e) => toggle(i.documentId, i.openCents, e.currentTarget.checked)}
                            />
                          </Table.Td>
                          <Table.Td style={{ whiteSpace: "nowrap" }}>{i.number}</Table.Td>
                          <Table.Td>{formatDate(i.documentDate, lang)}</Table.Td>
                          <Table.Td>{formatDate(i.dueDate, lang)}</Table.Td>
                          <Table.Td {...NUM}>{money(i.openCents)}</Table.Td>
                          <Table.Td>
                            <TextInput
                              size="xs"
                              inputMode="decimal"
                              autoComplete="off"
                              aria-label={t("payments.amountFor", { number: i.number })}
                              disabled={!p?.checked}
                              value={p?.amount ?? ""}
                              onChange={(e) => {
                                const value = e.currentTarget.value;
                                clearAllocationErrors(i.documentId);
                                setPicks((prev) => ({ ...prev, [i.documentId]: { checked: true, amount: value } }));
                              }}
                              error={rowError}
                              styles={{ input: { textAlign: "right" } }}
                            />
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
              {openItems && invoices.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t("payments.noOpenInvoices")}
                </Text>
              )}
              {paid !== null && picked > 0 && !errors.allocations && (
                <Text size="sm" c={picked > paid ? "red" : undefined}>
                  {picked > paid
                    ? t("payments.overAllocated", { picked: money(picked), amount: money(paid) })
                    : t("payments.allocatedSum", { picked: money(picked), credit: money(paid - picked) })}
                </Text>
              )}
              {errors.allocations && (
                <Text size="sm" c="red" role="alert">
                  {errors.allocations}
                </Text>
              )}
            </Stack>
          )}
          {(errors.form || (record.isError && !(record.error instanceof ProblemError))) && (
            <Alert color="red" role="alert">
              {errors.form ?? t("error.generic", { detail: record.error?.message })}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("payments.cancel")}
            </Button>
            <Button type="submit" loading={record.isPending}>
              {t("payments.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
