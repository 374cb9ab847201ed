import {
  type Customer,
  type CustomerFile,
  type CustomerMergeRequest,
  MERGE_FIELDS,
  type MergeResult,
} from "@kundenakte/contract";
import { Alert, Button, Group, List, Modal, Radio, Skeleton, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ProblemError } from "../../lib/api";
import { formatDate, formatMoney } from "../../lib/format";
import { problemText } from "../../lib/readable";
import { useCustomerFileForMerge, useCustomerRecord, useMergeCustomers } from "./api";
import { type ChoiceSide, defaultWinner, differingFields, FieldChoiceTable } from "./FieldChoiceTable";
import { recommendedSurvivor } from "./survivor";
import { customerValues, fieldLabel } from "./texts";

const label = (c: Customer) => `${c.name1} (${c.customerNumber})`;

/**
 * Merges two customers. The one that stays (the survivor) is by default the older one, whichever
 * file the dialog was opened from; the user may pick the other. Per differing master-data field
 * the user picks whose value is kept — by default the survivor's, or the other's where the
 * survivor has none. Before confirming, the dialog says which values will be gone and what moves.
 * Every differing field is sent as an explicit choice, so what the user saw is what happens.
 * A 412 reloads both customers and keeps the user's choices.
 */
export function MergeCustomersDialog({
  customerId,
  otherId,
  onClose,
  onMerged,
}: {
  customerId: number;
  otherId: number;
  onClose: () => void;
  onMerged: (result: MergeResult) => void;
}) {
  const { t, i18n } = useTranslation();
  const here = useCustomerRecord(customerId);
  const there = useCustomerRecord(otherId);
  const hereFile = useCustomerFileForMerge(customerId);
  const thereFile = useCustomerFileForMerge(otherId);
  const merge = useMergeCustomers();
  // The survivor the user picked; null: the recommended one.
  const [picked, setPicked] = useState<number | null>(null);
  // Per field the id of the customer whose value wins, as the user chose; the rest is the default.
  const [choice, setChoice] = useState<Record<string, number>>({});
  const [stale, setStale] = useState(false);

  const loading = here.isPending || there.isPending;
  const failed = here.error ?? there.error;

  const body = () => {
    if (failed) return <Alert color="red">{problemText(t, failed)}</Alert>;
    if (loading || !here.data || !there.data) {
      return (
        <Stack aria-busy="true" gap="xs">
          <Skeleton height={20} />
          <Skeleton height={120} />
        </Stack>
      );
    }
    // GET of a customer merged away meanwhile answers its survivor: nothing left to merge.
    if (there.data.id !== otherId || here.data.id === there.data.id) {
      return <Alert color="yellow">{t("merge.gone")}</Alert>;
    }
    const recommended = recommendedSurvivor(here.data, there.data);
    const survivor = picked === there.data.id ? there.data : picked === here.data.id ? here.data : recommended;
    const merged = survivor.id === here.data.id ? there.data : here.data;
    const files: Record<number, CustomerFile | undefined> = { [customerId]: hereFile.data, [otherId]: thereFile.data };

    const survivorSide: ChoiceSide = {
      id: survivor.id,
      title: t("merge.keeps", { name: label(survivor) }),
      values: customerValues(t, survivor),
    };
    const mergedSide: ChoiceSide = {
      id: merged.id,
      title: t("merge.goes", { name: label(merged) }),
      values: customerValues(t, merged),
    };
    const fields = differingFields(MERGE_FIELDS, survivorSide.values, mergedSide.values);
    const winner = (f: string) =>
      choice[f] === merged.id || choice[f] === survivor.id ? choice[f]! : defaultWinner(f, survivorSide, mergedSide);
    // The values that will be gone: the losing side's, where it had one.
    const lost = fields.flatMap((f) => {
      const loser = winner(f) === survivor.id ? mergedSide : survivorSide;
      const value = loser.values[f];
      return value ? [{ field: f, value, from: loser.id === survivor.id ? survivor : merged }] : [];
    });

    const confirm = () => {
      setStale(false);
      const request: CustomerMergeRequest = { merge: [{ id: merged.id, version: merged.version }] };
      if (fields.length > 0) {
        request.fields = Object.fromEntries(fields.map((f) => [f, winner(f)])) as CustomerMergeRequest["fields"];
      }
      merge.mutate(
        { survivor, body: request },
        {
          onSuccess: onMerged,
          onError: (err) => {
            if (!(err instanceof ProblemError) || err.status !== 412) return;
            // Someone changed one of the two: load the current state; the choices stay as they are.
            setStale(true);
            void here.refetch();
            void there.refetch();
            void hereFile.refetch();
            void thereFile.refetch();
          },
        },
      );
    };

    const failure =
      merge.error && !(merge.error instanceof ProblemError && merge.error.status === 412)
        ? merge.error instanceof ProblemError && merge.error.status === 409
          ? t("merge.conflict", { detail: merge.error.message })
          : problemText(t, merge.error)
        : null;

    const option = (c: Customer) => (
      <Radio
        key={c.id}
        value={String(c.id)}
        label={t("merge.survivorOption", { name: label(c), date: formatDate(c.createdAt, i18n.language) })}
        description={c.id === recommended.id ? t("merge.recommended") : undefined}
      />
    );

    return (
      <Stack>
        <Radio.Group label={t("merge.whoStays")} value={String(survivor.id)} onChange={(v) => setPicked(Number(v))}>
          <Stack gap="xs" mt={4}>
            {[recommended, recommended.id === here.data.id ? there.data : here.data].map(option)}
          </Stack>
        </Radio.Group>
        <Text>{t("merge.survivorText", { survivor: label(survivor), merged: label(merged) })}</Text>
        {fields.length > 0 && (
          <Text size="sm" fw={500}>
            {t("merge.chooseFields")}
          </Text>
        )}
        <FieldChoiceTable
          fields={fields.map((f) => ({ key: f, label: fieldLabel(t, f) }))}
          sides={[survivorSide, mergedSide]}
          choice={Object.fromEntries(fields.map((f) => [f, winner(f)]))}
          onChoose={(f, id) => setChoice((c) => ({ ...c, [f]: id }))}
        />
        <LossSummary lost={lost} merged={merged} survivor={survivor} files={files} />
        {stale && (
          <Alert color="orange" role="alert" title={t("edit.conflict")}>
            {t("merge.stale")}
          </Alert>
        )}
        {failure && (
          <Alert color="red" role="alert">
            {failure}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t("customers.cancel")}
          </Button>
          <Button
            color="red"
            onClick={confirm}
            loading={merge.isPending}
            disabled={here.isFetching || there.isFetching}
          >
            {t("merge.confirm")}
          </Button>
        </Group>
      </Stack>
    );
  };

  return (
    <Modal opened onClose={onClose} title={t("merge.title")} size="xl">
      {body()}
    </Modal>
  );
}

/**
 * What the merge will do to the data, before it does it: the values that will be gone (the losing
 * side's, row by row as chosen; a credit limit where both have one), what of the merged customer
 * moves (its contacts by name, its addresses and channels), and that of two customers' wishes the
 * survivor's count, completed from the other's.
 */
function LossSummary({
  lost,
  merged,
  survivor,
  files,
}: {
  lost: { field: string; value: string; from: Customer }[];
  merged: Customer;
  survivor: Customer;
  files: Record<number, CustomerFile | undefined>;
}) {
  const { t, i18n } = useTranslation();
  const from = files[merged.id];
  const wishesLeft = Boolean(from?.preferences && files[survivor.id]?.preferences);
  // Credit settings are one per customer: where both have a limit, the survivor's stays (finance users see it).
  const limit = (c: Customer) => files[c.id]?.keyFigures?.creditLimitCents ?? null;
  const lostLimit = limit(survivor) !== null && limit(merged) !== null && limit(survivor) !== limit(merged);
  const items = [
    ...lost.map((l) =>
      t("merge.lostValue", { field: fieldLabel(t, l.field), value: l.value, number: l.from.customerNumber }),
    ),
    ...(lostLimit
      ? [
          t("merge.lostValue", {
            field: t("merge.creditLimit"),
            value: formatMoney(limit(merged)!, files[merged.id]?.keyFigures?.currency ?? "EUR", i18n.language),
            number: merged.customerNumber,
          }),
        ]
      : []),
  ];
  return (
    <Stack gap={6} role="region" aria-label={t("merge.summary")}>
      <Alert
        color={items.length > 0 || wishesLeft ? "orange" : "green"}
        title={items.length > 0 ? t("merge.lostTitle") : t("merge.nothingLost")}
      >
        {items.length > 0 && (
          <List size="sm" aria-label={t("merge.lostTitle")}>
            {items.map((text) => (
              <List.Item key={text}>{text}</List.Item>
            ))}
          </List>
        )}
        {wishesLeft && (
          <Text size="sm" mt={items.length > 0 ? 4 : 0}>
            {t("merge.wishesLeft", { number: merged.customerNumber })}
          </Text>
        )}
        {items.length > 0 && (
          <Text size="sm" mt={4} c="dimmed">
            {t("merge.lostHint")}
          </Text>
        )}
      </Alert>
      {from && (
        <Text size="sm">
          {t("merge.partsMove", {
            number: merged.customerNumber,
            list:
              [
                from.contacts.length > 0 &&
                  `${t("merge.kinds.contacts")}: ${from.contacts.length} (${from.contacts
                    .map((c) => [c.firstName, c.lastName].filter(Boolean).join(" "))
                    .join(", ")})`,
                from.addresses.length > 0 && `${t("merge.kinds.addresses")}: ${from.addresses.length}`,
                from.channels.length > 0 && `${t("merge.kinds.channels")}: ${from.channels.length}`,
                (from.bankAccounts?.length ?? 0) > 0 &&
                  `${t("merge.kinds.bank_accounts")}: ${from.bankAccounts!.length}`,
              ]
                .filter(Boolean)
                .join("; ") || t("merge.noParts"),
          })}
        </Text>
      )}
      <Text size="sm">{t("merge.whatMoves")}</Text>
    </Stack>
  );
}
