import { Alert, Button, Group, Modal, Radio, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";

export type ConflictChoice = "mine" | "theirs";

export interface ConflictDialogProps {
  /** The fields the user changed that someone else changed too, in form order, with their labels. */
  fields: { key: string; label: string }[];
  /** The user's values, as shown to people ("–" is shown for an empty value). */
  mine: Record<string, string>;
  /** The current values on the server, shown the same way. */
  theirs: Record<string, string>;
  /** Called with the choice per field once the user has decided. */
  onResolve: (choice: Record<string, ConflictChoice>) => void;
  onCancel: () => void;
  /** What happened, in words for the record at hand; the shared customer text by default. */
  message?: string;
  /** Saving the decision is under way. */
  pending?: boolean;
  /**
   * Render the view without its own modal (for a caller that already shows a dialog, as the
   * customer's master-data form does); by default it is a modal of its own.
   */
  inline?: boolean;
}

const shown = (v: string | undefined) => (v === undefined || v === "" ? "–" : v);

/**
 * The 412 view: someone saved the record while the user was editing it. Per field the user's
 * change stands beside the current state and the user picks which one counts (their own by
 * default); nothing typed is lost. Everything else the other person changed stays as it is.
 */
export function ConflictDialog({
  fields,
  mine,
  theirs,
  onResolve,
  onCancel,
  message,
  pending,
  inline,
}: ConflictDialogProps) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<Record<string, ConflictChoice>>(() =>
    Object.fromEntries(fields.map((f) => [f.key, "mine" as const])),
  );
  const body = (
    <Stack role="group" aria-label={t("edit.conflict")}>
      <Alert color="orange" title={inline ? t("edit.conflict") : undefined}>
        {message ?? t("edit.conflictText")}
      </Alert>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("edit.field")}</Table.Th>
            <Table.Th>{t("edit.mine")}</Table.Th>
            <Table.Th>{t("edit.theirs")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {fields.map((f, i) => (
            <Table.Tr key={f.key}>
              <Table.Th scope="row" fw="normal">
                {f.label}
              </Table.Th>
              {(["mine", "theirs"] as const).map((side) => (
                <Table.Td key={side}>
                  <Radio
                    name={`conflict-${f.key}`}
                    value={side}
                    checked={choice[f.key] === side}
                    onChange={() => setChoice((c) => ({ ...c, [f.key]: side }))}
                    label={shown(side === "mine" ? mine[f.key] : theirs[f.key])}
                    aria-label={`${f.label}: ${t(side === "mine" ? "edit.mine" : "edit.theirs")}`}
                    styles={{ label: { whiteSpace: "pre-line", overflowWrap: "anywhere" } }}
                    data-autofocus={i === 0 && side === "mine" ? true : undefined}
                  />
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" c="dimmed">
        {t("edit.otherChanges")}
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          {t("customers.cancel")}
        </Button>
        <Button onClick={() => onResolve(choice)} loading={pending}>
          {t("edit.resolve")}
        </Button>
      </Group>
    </Stack>
  );
  if (inline) return body;
  return (
    <Modal opened onClose={onCancel} title={t("edit.conflict")} size="lg">
      {body}
    </Modal>
  );
}
