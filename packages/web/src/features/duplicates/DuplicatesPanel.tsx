import type { DuplicateCandidate, MergeResult } from "@kundenakte/contract";
import { Alert, Anchor, Badge, Button, Group, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { problemText, SkeletonRows, SuccessNotice } from "../../lib/readable";
import { useCan } from "../auth/session";
import { refreshAfterMerge, useDuplicates, useMarkNotDuplicate } from "./api";
import { MergeCustomersDialog } from "./MergeCustomersDialog";
import { mergedNotice, reasonText } from "./texts";

/**
 * A notice carried to the survivor's file when the user merged this customer into the other one:
 * that file's panel is a new one and shows it once (kept out of the history state, so a reload
 * does not show it again).
 */
let carried: { customerId: number; text: string } | null = null;

function takeCarried(customerId: number): string | null {
  if (carried?.customerId !== customerId) return null;
  const { text } = carried;
  carried = null;
  return text;
}

const scoreColor = (score: number) => (score >= 80 ? "red" : score >= 65 ? "orange" : "gray");

/** One candidate: who it is, how likely and why; "not a duplicate" and "merge" as far as the user may. */
function CandidateRow({
  candidate: c,
  canMark,
  canMerge,
  onMark,
  marking,
  onMerge,
}: {
  candidate: DuplicateCandidate;
  canMark: boolean;
  canMerge: boolean;
  onMark: () => void;
  marking: boolean;
  onMerge: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Table.Tr>
      <Table.Td>{c.customerNumber}</Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/customers/${c.customerId}`} size="sm">
          {c.name}
        </Anchor>
      </Table.Td>
      <Table.Td>{c.city ?? "–"}</Table.Td>
      <Table.Td>
        <Badge variant="light" color={scoreColor(c.score)} title={t("duplicates.scoreHint")}>
          {t("duplicates.score", { score: c.score })}
        </Badge>
      </Table.Td>
      <Table.Td>{c.reasons.map((r) => reasonText(t, r)).join("; ")}</Table.Td>
      {(canMark || canMerge) && (
        <Table.Td>
          <Group gap={4} wrap="nowrap" justify="flex-end">
            {canMark && (
              <Button
                size="compact-sm"
                variant="subtle"
                onClick={onMark}
                loading={marking}
                aria-label={t("duplicates.notDuplicateOf", { name: c.name })}
              >
                {t("duplicates.notDuplicate")}
              </Button>
            )}
            {canMerge && (
              <Button
                size="compact-sm"
                variant="light"
                onClick={onMerge}
                aria-label={t("duplicates.mergeWith", { name: c.name })}
              >
                {t("duplicates.merge")}
              </Button>
            )}
          </Group>
        </Table.Td>
      )}
    </Table.Tr>
  );
}

/** The "duplicates" tab: customers that are probably this one, to dismiss or to merge into it. */
export function DuplicatesPanel({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const list = useDuplicates(customerId);
  const mark = useMarkNotDuplicate(customerId);
  const canMark = useCan("customers.update");
  const canMerge = useCan("customers.delete");
  const [merging, setMerging] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(() => takeCarried(customerId));
  const withActions = canMark || canMerge;

  const merged = (result: MergeResult) => {
    const text = mergedNotice(t, result);
    setMerging(null);
    if (result.survivorId === customerId) {
      setNotice(text);
    } else {
      // This customer is gone: the file to stay on is the survivor's.
      carried = { customerId: result.survivorId, text };
      navigate(`/customers/${result.survivorId}?tab=duplicates`, { replace: true });
    }
    refreshAfterMerge(qc, result);
  };

  return (
    <Stack gap="sm">
      <SuccessNotice text={notice} onClose={() => setNotice(null)} closeLabel={t("app.close")} />
      {list.isError && <Alert color="red">{problemText(t, list.error)}</Alert>}
      {mark.isError && (
        <Alert color="red" withCloseButton closeButtonLabel={t("app.close")} onClose={() => mark.reset()}>
          {problemText(t, mark.error)}
        </Alert>
      )}
      {list.isSuccess && list.data.length === 0 && (
        <Stack gap={4}>
          <Text>{t("duplicates.empty")}</Text>
          <Text size="sm" c="dimmed">
            {t("duplicates.emptyHint")}
          </Text>
        </Stack>
      )}
      {(list.isPending || (list.data?.length ?? 0) > 0) && (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing={6} aria-label={t("duplicates.table")} aria-busy={list.isPending}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={110}>{t("duplicates.columns.number")}</Table.Th>
                <Table.Th>{t("duplicates.columns.name")}</Table.Th>
                <Table.Th w={140}>{t("duplicates.columns.city")}</Table.Th>
                <Table.Th w={130}>{t("duplicates.columns.score")}</Table.Th>
                <Table.Th>{t("duplicates.columns.reasons")}</Table.Th>
                {withActions && (
                  <Table.Th>
                    <VisuallyHidden>{t("duplicates.columns.actions")}</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.isPending ? (
                <SkeletonRows columns={withActions ? 6 : 5} rows={2} />
              ) : (
                list.data?.map((c) => (
                  <CandidateRow
                    key={c.customerId}
                    candidate={c}
                    canMark={canMark}
                    canMerge={canMerge}
                    marking={mark.isPending && mark.variables === c.customerId}
                    onMark={() => mark.mutate(c.customerId)}
                    onMerge={() => {
                      setNotice(null);
                      setMerging(c.customerId);
                    }}
                  />
                ))
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {merging !== null && (
        <MergeCustomersDialog
          customerId={customerId}
          otherId={merging}
          onClose={() => setMerging(null)}
          onMerged={merged}
        />
      )}
    </Stack>
  );
}
