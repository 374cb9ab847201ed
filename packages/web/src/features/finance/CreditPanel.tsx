import {
  type CreditCheck,
  type CreditCheckWithFigures,
  type CreditSettings,
  type CreditSettingsUpdate,
  CreditSettingsUpdate as CreditSettingsUpdateSchema,
  type KeyFigures,
  type PaymentTerms,
} from "@kundenakte/contract";
import {
  Alert,
  Badge,
  Box,
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  List,
  NativeSelect,
  Progress,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ProblemError } from "../../lib/api";
import { formatDate, formatMoney, formatNumber } from "../../lib/format";
import { serverFieldErrors, validate } from "../../lib/validate";
import { useCan } from "../auth/session";
import { useCustomerFile } from "../customers/api";
import {
  useCreditCheck,
  useCreditSettings,
  useDunningNotices,
  usePaymentTerms,
  useUpdateCredit,
  type VersionedCredit,
} from "./api";
import { centsToInput, parseMoney } from "./money";
import { NUM, problemText, SkeletonRows } from "./shared";

/** A term and its value in a description list. */
function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text component="dt" size="xs" c="dimmed">
        {label}
      </Text>
      <Text component="dd" m={0} fw={600}>
        {children}
      </Text>
    </div>
  );
}

function termsName(terms: PaymentTerms[] | undefined, id: number | null, language: string): string | null {
  if (id === null) return null;
  const found = terms?.find((p) => p.id === id);
  if (!found) return `#${id}`;
  return language.startsWith("en") ? found.textEn : found.text;
}

/** Credit used (open items + open orders) against the limit, from the file's key figures. */
function CreditUsed({ figures, currency }: { figures: KeyFigures | undefined; currency: string }) {
  const { t, i18n } = useTranslation();
  const money = (cents: number) => formatMoney(cents, currency, i18n.language);
  if (!figures) return <Skeleton height={40} />;
  const used = figures.creditUsedCents;
  const limit = figures.creditLimitCents;
  if (used === undefined) return null;
  if (typeof limit !== "number") {
    return (
      <Box component="dl" m={0}>
        <Item label={t("credit.used")}>{t("credit.usedNoLimit", { used: money(used) })}</Item>
      </Box>
    );
  }
  const share = limit > 0 ? used / limit : used > 0 ? 2 : 0;
  const over = used - limit;
  return (
    <Box component="dl" m={0}>
      <Item label={t("credit.used")}>
        {t("credit.usedOf", { used: money(used), limit: money(limit) })}
        <Progress
          mt={4}
          size="md"
          value={Math.min(100, Math.max(0, share * 100))}
          color={share > 1 ? "red" : share >= 0.9 ? "yellow" : "blue"}
          aria-label={t("credit.used")}
        />
        <Text size="sm" fw={400} c={over > 0 ? "red" : "dimmed"}>
          {over > 0
            ? t("credit.exceededBy", { amount: money(over) })
            : t("credit.available", { amount: money(limit - used) })}
        </Text>
      </Item>
    </Box>
  );
}

interface Values {
  limit: string;
  paymentTermsId: string;
  dunningExcluded: boolean;
}

const valuesOf = (s: CreditSettings, language: string): Values => ({
  limit: s.creditLimitCents === null ? "" : centsToInput(s.creditLimitCents, language),
  paymentTermsId: s.paymentTermsId === null ? "" : String(s.paymentTermsId),
  dunningExcluded: s.dunningExcluded,
});

/** Credit limit, default payment terms and dunning exclusion: shown, and edited against the version read. */
function CreditSettingsCard({ customerId, currency }: { customerId: number; currency: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const money = (cents: number) => formatMoney(cents, currency, lang);
  const canUpdate = useCan("finance.update");
  const canReadTerms = useCan("payment_terms.read");
  const credit = useCreditSettings(customerId);
  const file = useCustomerFile(customerId);
  const terms = usePaymentTerms(canReadTerms);
  const update = useUpdateCredit(customerId);
  const editButton = useRef<HTMLButtonElement>(null);

  const [base, setBase] = useState<VersionedCredit | null>(null);
  const [values, setValues] = useState<Values | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [conflict, setConflict] = useState<CreditSettings | null>(null);
  const [saved, setSaved] = useState(false);

  const editing = base !== null && values !== null;
  const wasEditing = useRef(false);
  // Saved or cancelled: the focus goes back to where the user started.
  useEffect(() => {
    if (wasEditing.current && !editing) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);
  const close = (wasSaved: boolean) => {
    setBase(null);
    setValues(null);
    setErrors({});
    setConflict(null);
    setSaved(wasSaved);
  };
  const startEdit = () => {
    if (!credit.data) return;
    setSaved(false);
    setBase(credit.data);
    setValues(valuesOf(credit.data.settings, lang));
  };

  const describe = (s: CreditSettings) => ({
    limit: s.creditLimitCents === null ? t("credit.noLimit") : money(s.creditLimitCents),
    terms: termsName(terms.data?.items, s.paymentTermsId, lang) ?? t("credit.noTerms"),
    dunning: s.dunningExcluded ? t("credit.dunningExcluded") : t("credit.dunningIncluded"),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!base || !values) return;
    const local: Record<string, string> = {};
    const limit = parseMoney(values.limit, lang);
    if (limit === "invalid") local.creditLimitCents = t("payments.amountInvalid");
    const next: CreditSettings = {
      creditLimitCents: typeof limit === "number" ? limit : null,
      paymentTermsId: values.paymentTermsId === "" ? null : Number(values.paymentTermsId),
      dunningExcluded: values.dunningExcluded,
    };
    // Only what differs from the version read goes to the server.
    const patch: CreditSettingsUpdate = {};
    if (next.creditLimitCents !== base.settings.creditLimitCents) patch.creditLimitCents = next.creditLimitCents;
    if (next.paymentTermsId !== base.settings.paymentTermsId) patch.paymentTermsId = next.paymentTermsId;
    if (next.dunningExcluded !== base.settings.dunningExcluded) patch.dunningExcluded = next.dunningExcluded;
    if (Object.keys(local).length === 0 && Object.keys(patch).length === 0) return close(false);
    Object.assign(local, Object.keys(patch).length ? validate(CreditSettingsUpdateSchema, patch, t) : {});
    if (typeof limit === "number" && limit < 0) local.creditLimitCents = t("credit.limitNegative");
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    update.mutate(
      { patch, etag: base.etag },
      {
        onSuccess: () => close(true),
        onError: async (err) => {
          if (!(err instanceof ProblemError)) return;
          if (err.status === 412) {
            // Someone saved in between: read the current version; the user's input stays for a second save.
            const fresh = await credit.refetch();
            if (fresh.data) {
              setBase(fresh.data);
              setConflict(fresh.data.settings);
            } else if (err.problem.current) {
              setConflict(err.problem.current as CreditSettings);
            }
          } else if (err.status === 400) {
            setErrors(serverFieldErrors(err.problem.errors));
          }
        },
      },
    );
  };

  const shown = credit.data?.settings;
  const view = shown && describe(shown);
  return (
    <Card withBorder component="section" aria-label={t("credit.settings")} h="100%">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5">
          {t("credit.settings")}
        </Title>
        {canUpdate && !editing && (
          <Button ref={editButton} size="xs" variant="light" onClick={startEdit} disabled={!credit.data}>
            {t("credit.edit")}
          </Button>
        )}
      </Group>
      {credit.isError ? (
        <Alert color="red">{problemText(t, credit.error)}</Alert>
      ) : editing ? (
        <form onSubmit={submit} noValidate aria-label={t("credit.editTitle")}>
          <Stack gap="sm">
            {conflict && (
              <Alert color="orange" title={t("credit.conflict")} role="alert">
                <Text size="sm">{t("credit.conflictText")}</Text>
                <Text size="sm" mt={4}>
                  {t("credit.conflictCurrent", describe(conflict))}
                </Text>
              </Alert>
            )}
            <TextInput
              label={t("credit.limit")}
              description={t("credit.limitHint")}
              inputMode="decimal"
              autoComplete="off"
              autoFocus
              rightSection={<Text size="sm">{currency === "EUR" ? "€" : currency}</Text>}
              value={values.limit}
              onChange={(e) => setValues({ ...values, limit: e.currentTarget.value })}
              error={errors.creditLimitCents}
            />
            <NativeSelect
              label={t("credit.terms")}
              data={[
                { value: "", label: t("credit.noTerms") },
                ...(terms.data?.items ?? [])
                  .filter((p) => p.active || String(p.id) === values.paymentTermsId)
                  .map((p) => ({ value: String(p.id), label: lang.startsWith("en") ? p.textEn : p.text })),
              ]}
              value={values.paymentTermsId}
              onChange={(e) => setValues({ ...values, paymentTermsId: e.currentTarget.value })}
              error={errors.paymentTermsId}
            />
            <Checkbox
              label={t("credit.excludeFromDunning")}
              checked={values.dunningExcluded}
              onChange={(e) => setValues({ ...values, dunningExcluded: e.currentTarget.checked })}
            />
            {update.isError && !(update.error instanceof ProblemError && [400, 412].includes(update.error.status)) && (
              <Alert color="red">{t("error.generic", { detail: update.error.message })}</Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => close(false)}>
                {t("credit.cancel")}
              </Button>
              <Button type="submit" loading={update.isPending}>
                {conflict ? t("credit.saveAgain") : t("credit.save")}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Stack gap="sm">
          {saved && (
            <Alert color="green" role="status" withCloseButton onClose={() => setSaved(false)}>
              {t("credit.saved")}
            </Alert>
          )}
          {view ? (
            <Box
              component="dl"
              m={0}
              style={{
                display: "grid",
                gridTemplateColumns: "repeat(auto-fill, minmax(13rem, 1fr))",
                gap: "var(--mantine-spacing-sm) var(--mantine-spacing-md)",
              }}
            >
              <Item label={t("credit.limit")}>{view.limit}</Item>
              <Item label={t("credit.terms")}>{view.terms}</Item>
              <Item label={t("credit.dunning")}>{view.dunning}</Item>
            </Box>
          ) : (
            <Skeleton height={40} />
          )}
          <CreditUsed figures={file.data?.keyFigures} currency={currency} />
        </Stack>
      )}
    </Card>
  );
}

const RESULT_COLOR: Record<CreditCheck["result"], string> = { ok: "green", warning: "yellow", blocked: "red" };

/** "Kreditprüfung": would an order of this amount pass? With the reasons and the arithmetic. */
function CreditCheckCard({ customerId, currency }: { customerId: number; currency: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const money = (cents: number) => formatMoney(cents, currency, lang);
  const check = useCreditCheck(customerId);
  const [amount, setAmount] = useState("");
  const [error, setError] = useState<string | undefined>();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const cents = parseMoney(amount, lang);
    if (cents === null) return setError(t("form.required"));
    if (cents === "invalid") return setError(t("payments.amountInvalid"));
    if (cents < 0) return setError(t("credit.limitNegative"));
    setError(undefined);
    check.mutate(cents);
  };

  // The credit tab is shown to finance users only, who get the check with its figures.
  const r = check.data as CreditCheckWithFigures | undefined;
  const reason = (code: string) => {
    if (!r) return code;
    if (code === "limit_exceeded" && r.availableCents !== null) {
      return t("credit.reasons.limit_exceeded", {
        limit: money(r.creditLimitCents ?? 0),
        over: money(-r.availableCents),
      });
    }
    return t(`credit.reasons.${code}`, { defaultValue: code });
  };
  return (
    <Card withBorder component="section" aria-label={t("credit.check")} h="100%">
      <Title order={3} size="h5" mb="xs">
        {t("credit.check")}
      </Title>
      <form onSubmit={submit} noValidate aria-label={t("credit.check")}>
        <Group align="flex-start" gap="xs">
          <TextInput
            label={t("credit.checkAmount")}
            inputMode="decimal"
            autoComplete="off"
            rightSection={<Text size="sm">{currency === "EUR" ? "€" : currency}</Text>}
            value={amount}
            onChange={(e) => {
              setAmount(e.currentTarget.value);
              if (check.data) check.reset();
            }}
            error={error}
            style={{ flex: 1 }}
          />
          <Button type="submit" mt={24} loading={check.isPending}>
            {t("credit.runCheck")}
          </Button>
        </Group>
      </form>
      <Box role="status" mt="sm">
        {check.isError && <Alert color="red">{problemText(t, check.error)}</Alert>}
        {r && (
          <Alert color={RESULT_COLOR[r.result]} title={t(`credit.result.${r.result}`)}>
            {r.reasons.length > 0 ? (
              <List size="sm">
                {r.reasons.map((code) => (
                  <List.Item key={code}>{reason(code)}</List.Item>
                ))}
              </List>
            ) : (
              <Text size="sm">{r.creditLimitCents === null ? t("credit.noLimitChecked") : t("credit.okText")}</Text>
            )}
            <Table mt="xs" tabularNums verticalSpacing={2} aria-label={t("credit.exposure")}>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th fw={400}>{t("credit.openItems")}</Table.Th>
                  <Table.Td {...NUM}>{money(r.openItemsCents)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th fw={400}>{t("credit.openOrders")}</Table.Th>
                  <Table.Td {...NUM}>{money(r.openOrdersCents)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th fw={400}>{t("credit.thisAmount")}</Table.Th>
                  <Table.Td {...NUM}>{money(r.amountCents)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t("credit.exposure")}</Table.Th>
                  <Table.Td {...NUM} fw={700}>
                    {money(r.exposureCents)}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th fw={400}>{t("credit.limit")}</Table.Th>
                  <Table.Td {...NUM}>
                    {r.creditLimitCents === null ? t("credit.noLimit") : money(r.creditLimitCents)}
                  </Table.Td>
                </Table.Tr>
                {r.availableCents !== null && (
                  <Table.Tr>
                    <Table.Th fw={400}>{t("credit.availableLabel")}</Table.Th>
                    <Table.Td {...NUM} c={r.availableCents < 0 ? "red" : undefined}>
                      {money(r.availableCents)}
                    </Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </Alert>
        )}
      </Box>
    </Card>
  );
}

/** The dunning notices sent to the customer, newest first. */
function DunningNotices({ customerId, currency }: { customerId: number; currency: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const money = (cents: number) => formatMoney(cents, currency, lang);
  const notices = useDunningNotices(customerId);
  const credit = useCreditSettings(customerId);
  const items = notices.data?.items ?? [];

  return (
    <Stack gap="xs" component="section" aria-label={t("dunning.title")}>
      <Group gap="xs">
        <Title order={3} size="h5">
          {t("dunning.title")}
        </Title>
        {credit.data?.settings.dunningExcluded && (
          <Badge color="gray" variant="light" tt="none">
            {t("credit.dunningExcluded")}
          </Badge>
        )}
      </Group>
      {notices.isError ? (
        <Alert color="red">{problemText(t, notices.error)}</Alert>
      ) : notices.isSuccess && items.length === 0 ? (
        <Text c="dimmed">{t("dunning.empty")}</Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped tabularNums aria-label={t("dunning.title")} aria-busy={notices.isPending}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("dunning.date")}</Table.Th>
                <Table.Th>{t("dunning.levelHeader")}</Table.Th>
                <Table.Th>{t("dunning.invoices")}</Table.Th>
                <Table.Th {...NUM}>{t("dunning.fee")}</Table.Th>
                <Table.Th {...NUM}>{t("dunning.total")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {notices.isPending && <SkeletonRows columns={5} rows={2} />}
              {items.map((n) => (
                <Table.Tr key={n.id}>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{formatDate(n.noticeDate, lang)}</Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>
                    <Badge color={n.level >= 3 ? "red" : n.level === 2 ? "orange" : "yellow"} variant="light" tt="none">
                      {t("dunning.level", { level: n.level })}
                    </Badge>
                    {n.deliveryBlockSet && (
                      <Badge color="red" ml={4} tt="none">
                        {t("dunning.deliveryBlockSet")}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {n.items.map((i) => (
                      <Text size="sm" key={i.documentId}>
                        {t("dunning.item", {
                          number: i.number,
                          due: formatDate(i.dueDate, lang),
                          days: formatNumber(i.daysOverdue, lang),
                          open: money(i.openCents),
                        })}
                      </Text>
                    ))}
                  </Table.Td>
                  <Table.Td {...NUM}>{money(n.feeCents)}</Table.Td>
                  <Table.Td {...NUM} fw={600}>
                    {money(n.totalCents)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

/** The "credit and dunning" tab (finance and admin): credit settings, credit check, dunning notices. */
export function CreditPanel({ customerId, currency }: { customerId: number; currency: string }) {
  const canCheck = useCan("documents.create");
  return (
    <Stack gap="lg">
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: canCheck ? 6 : 12 }}>
          <CreditSettingsCard customerId={customerId} currency={currency} />
        </Grid.Col>
        {canCheck && (
          <Grid.Col span={{ base: 12, md: 6 }}>
            <CreditCheckCard customerId={customerId} currency={currency} />
          </Grid.Col>
        )}
      </Grid>
      <DunningNotices customerId={customerId} currency={currency} />
    </Stack>
  );
}
