import { type Customer, type CustomerMergeRequest, MERGE_FIELDS, type MergeResult } from "@kundenakte/contract";
import { Alert, Button, Group, Modal, Skeleton, Stack, Switch, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ProblemError } from "../../lib/api";
import { problemText } from "../../lib/readable";
import { useCustomerRecord, useMergeCustomers } from "./api";
import { differingFields, FieldChoiceTable } from "./FieldChoiceTable";
import { customerValues, fieldLabel } from "./texts";

const label = (c: Customer) => `${c.name1} (${c.customerNumber})`;

/**
 * Merges another customer into this one. This customer stays (the survivor) unless the user
 * turns it round; per differing master-data field the user picks whose value is kept (the
 * survivor's by default). A 412 reloads both customers and keeps the user's choices.
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
  const { t } = useTranslation();
  const here = useCustomerRecord(customerId);
  const there = useCustomerRecord(otherId);
  const merge = useMergeCustomers();
  const [reversed, setReversed] = useState(false);
  // Per field the id of the customer whose value wins; what the user did not touch is the survivor's.
  const [choice, setChoice] = useState<Record<string, number>>({});
  const [stale, setStale] = useState(false);

  const loading = here.isPending || there.isPending;
  const failed = here.error ?? there.error;
  const pair = here.data && there.data ? (reversed ? [there.data, here.data] : [here.data, there.data]) : null;

  const body = () => {
    if (failed) return <Alert color="red">{problemText(t, failed)}</Alert>;
    if (loading || !pair) {
      return (
        <Stack aria-busy="true" gap="xs">
          <Skeleton height={20} />
          <Skeleton height={120} />
        </Stack>
      );
    }
    const [survivor, merged] = pair as [Customer, Customer];
    // GET of a customer merged away meanwhile answers its survivor: nothing left to merge.
    if (there.data?.id !== otherId || survivor.id === merged.id) {
      return <Alert color="yellow">{t("merge.gone")}</Alert>;
    }
    const values = { [survivor.id]: customerValues(t, survivor), [merged.id]: customerValues(t, merged) };
    const fields = differingFields(MERGE_FIELDS, values[survivor.id]!, values[merged.id]!);
    const winner = (f: string) => (choice[f] === merged.id ? merged.id : survivor.id);

    const confirm = () => {
      setStale(false);
      const taken = fields.filter((f) => winner(f) === merged.id);
      const request: CustomerMergeRequest = { merge: [{ id: merged.id, version: merged.version }] };
      if (taken.length > 0) {
        request.fields = Object.fromEntries(taken.map((f) => [f, merged.id])) as CustomerMergeRequest["fields"];
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

    return (
      <Stack>
        <Text>{t("merge.survivorText", { survivor: label(survivor), merged: label(merged) })}</Text>
        <Switch
          checked={reversed}
          onChange={(e) => setReversed(e.currentTarget.checked)}
          label={t("merge.reverse", { name: label(there.data!) })}
          description={t("merge.reverseHint")}
        />
        {fields.length > 0 && (
          <Text size="sm" fw={500}>
            {t("merge.chooseFields")}
          </Text>
        )}
        <FieldChoiceTable
          fields={fields.map((f) => ({ key: f, label: fieldLabel(t, f) }))}
          sides={[
            { id: survivor.id, title: t("merge.keeps", { name: label(survivor) }), values: values[survivor.id]! },
            { id: merged.id, title: t("merge.goes", { name: label(merged) }), values: values[merged.id]! },
          ]}
          choice={Object.fromEntries(fields.map((f) => [f, winner(f)]))}
          onChoose={(f, id) => setChoice((c) => ({ ...c, [f]: id }))}
        />
        <Text size="sm">{t("merge.whatMoves")}</Text>
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
