import { CONTACT_MERGE_FIELDS, type Contact, type ContactMergeRequest, type MergeResult } from "@kundenakte/contract";
import { Alert, Button, Group, Modal, NativeSelect, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ProblemError } from "../../lib/api";
import { formatDate } from "../../lib/format";
import { problemText, refreshCustomer } from "../addresses/parts";
import { defaultWinner, differingFields, FieldChoiceTable } from "../duplicates/FieldChoiceTable";
import { fieldLabel } from "../duplicates/texts";

const contactLabel = (c: Pick<Contact, "title" | "firstName" | "lastName">) =>
  [c.title, c.firstName, c.lastName].filter(Boolean).join(" ");

/** A contact's mergeable fields as people read them (phones in national format, enums in words). */
function contactValues(t: TFunction, language: string, c: Contact): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of CONTACT_MERGE_FIELDS) {
    const v = c[f];
    if (v === null || v === undefined || v === "") out[f] = "";
    else if (f === "phone") out[f] = c.phoneDisplay ?? String(v);
    else if (f === "mobile") out[f] = c.mobileDisplay ?? String(v);
    else if (f === "salutation") out[f] = t(`contacts.salutations.${v}`, { defaultValue: String(v) });
    else if (f === "preferredChannel") out[f] = t(`wishes.channels.${v}`, { defaultValue: String(v) });
    else if (f === "birthday") out[f] = formatDate(String(v), language);
    else out[f] = String(v);
  }
  return out;
}

function useMergeContacts(customerId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ survivor, body }: { survivor: Contact; body: ContactMergeRequest }) =>
      api<MergeResult>(`/customers/${customerId}/contacts/${survivor.id}/merge`, {
        method: "POST",
        body,
        // As every contact write: the version of the contact written, here the one that stays.
        headers: { "if-match": `"${survivor.version}"` },
      }),
    // On a 412 too: the contacts' current versions come with the refreshed file.
    onSettled: () => refreshCustomer(qc, customerId),
  });
}

/**
 * Merges another contact of the same customer into this one (which stays): pick the other, pick
 * per differing field whose value is kept (by default this one's, or the other's where this one
 * has none), confirm. The contacts come from the customer file, so
 * after a 412 the refreshed file brings the current versions and the choices stay.
 */
export function MergeContactsDialog({
  customerId,
  survivorId,
  contacts,
  onClose,
  onMerged,
}: {
  customerId: number;
  survivorId: number;
  contacts: Contact[];
  onClose: () => void;
  onMerged: (text: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const merge = useMergeContacts(customerId);
  const others = contacts.filter((c) => c.id !== survivorId);
  const [otherId, setOtherId] = useState<number | null>(others.length === 1 ? others[0]!.id : null);
  const [choice, setChoice] = useState<Record<string, number>>({});
  const [stale, setStale] = useState(false);
  const survivor = contacts.find((c) => c.id === survivorId);
  const other = others.find((c) => c.id === otherId) ?? null;

  const values = (c: Contact) => contactValues(t, i18n.language, c);
  const fields = survivor && other ? differingFields(CONTACT_MERGE_FIELDS, values(survivor), values(other)) : [];
  // Not chosen: the survivor's value, or the other's where the survivor has none (nothing lost by default).
  const winner = (f: string) =>
    !survivor || !other
      ? survivorId
      : choice[f] === other.id || choice[f] === survivor.id
        ? choice[f]!
        : defaultWinner(
            f,
            { id: survivor.id, title: "", values: values(survivor) },
            { id: other.id, title: "", values: values(other) },
          );

  const confirm = () => {
    if (!survivor || !other) return;
    setStale(false);
    const body: ContactMergeRequest = { merge: [{ id: other.id, version: other.version }] };
    // Every differing field as an explicit choice: what the user saw is what happens.
    if (fields.length > 0) body.fields = Object.fromEntries(fields.map((f) => [f, winner(f)]));
    merge.mutate(
      { survivor, body },
      {
        onSuccess: () =>
          onMerged(t("contacts.merge.done", { merged: contactLabel(other), survivor: contactLabel(survivor) })),
        onError: (err) => {
          if (err instanceof ProblemError && err.status === 412) setStale(true);
        },
      },
    );
  };

  const failure = merge.error && !(merge.error instanceof ProblemError && merge.error.status === 412);
  return (
    <Modal opened onClose={onClose} title={t("contacts.merge.title")} size="lg">
      {!survivor ? (
        <Alert color="yellow">{t("contacts.merge.gone")}</Alert>
      ) : (
        <Stack>
          <Text>{t("contacts.merge.intro", { name: contactLabel(survivor) })}</Text>
          <NativeSelect
            label={t("contacts.merge.other")}
            data={[
              { value: "", label: t("contacts.merge.pick") },
              ...others.map((c) => ({ value: String(c.id), label: contactLabel(c) })),
            ]}
            value={otherId === null ? "" : String(otherId)}
            onChange={(e) => setOtherId(e.currentTarget.value ? Number(e.currentTarget.value) : null)}
            data-autofocus
          />
          {other && (
            <FieldChoiceTable
              fields={fields.map((f) => ({ key: f, label: fieldLabel(t, f) }))}
              sides={[
                {
                  id: survivor.id,
                  title: t("contacts.merge.keeps", { name: contactLabel(survivor) }),
                  values: values(survivor),
                },
                { id: other.id, title: t("contacts.merge.goes", { name: contactLabel(other) }), values: values(other) },
              ]}
              choice={Object.fromEntries(fields.map((f) => [f, winner(f)]))}
              onChoose={(f, id) => setChoice((c) => ({ ...c, [f]: id }))}
            />
          )}
          {other && <Text size="sm">{t("contacts.merge.whatMoves", { name: contactLabel(other) })}</Text>}
          {stale && (
            <Alert color="orange" role="alert">
              {t("contacts.merge.stale")}
            </Alert>
          )}
          {failure && (
            <Alert color="red" role="alert">
              {problemText(t, merge.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("customers.cancel")}
            </Button>
            <Button color="red" onClick={confirm} loading={merge.isPending} disabled={!other}>
              {t("contacts.merge.confirm")}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
