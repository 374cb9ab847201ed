import { type Customer, CustomerUpdate } from "@kundenakte/contract";
import { Alert, Button, Group, Modal, Select, Stack, Textarea, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ProblemError } from "../../lib/api";
import { type ConflictChoice, ConflictDialog } from "../../lib/ConflictDialog";
import { serverFieldErrors, validate } from "../../lib/validate";

/** The master-data fields this form edits, in order. */
const FIELDS = ["name1", "name2", "status", "customerGroup", "owner", "vatId", "notes"] as const;
type Field = (typeof FIELDS)[number];
type Values = Record<Field, string>;

const valuesOf = (c: Customer): Values =>
  Object.fromEntries(FIELDS.map((f) => [f, (c[f] as string | null) ?? ""])) as Values;

/** Only what the user changed, as the API wants it: empty optional fields become null. */
function patchOf(original: Values, edited: Values): Record<string, string | null> {
  const patch: Record<string, string | null> = {};
  for (const f of FIELDS) {
    if (edited[f] === original[f]) continue;
    const v = edited[f].trim();
    patch[f] = v === "" && f !== "name1" ? null : v;
  }
  return patch;
}

interface Conflict {
  current: Customer;
  /** The fields the user changed: the conflict view asks, per field, whose value counts. */
  fields: Field[];
}

/**
 * Edits a customer's master data. Checked in the browser with the server's own schema; the
 * server's field errors appear on the fields. When someone else saved first (412), the user
 * sees their change beside the current state, field by field, and decides: nothing typed is lost.
 */
export function EditCustomer({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [base, setBase] = useState<Customer>(customer);
  const [values, setValues] = useState<Values>(valuesOf(customer));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const save = useMutation({
    mutationFn: ({ patch, version }: { patch: Record<string, unknown>; version: number }) =>
      api<Customer>(`/customers/${customer.id}`, {
        method: "PATCH",
        body: patch,
        headers: { "if-match": `"${version}"` },
      }),
  });

  const submit = (patch: Record<string, unknown>, version: number) => {
    const local = validate(CustomerUpdate, patch, t);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    save.mutate(
      { patch, version },
      {
        onSuccess: () => {
          qc.invalidateQueries({ queryKey: ["customers"] });
          onClose();
        },
        onError: (err) => {
          if (!(err instanceof ProblemError)) return;
          if (err.status === 412 && err.problem.current) {
            const current = err.problem.current as Customer;
            setConflict({ current, fields: Object.keys(patch) as Field[] });
          } else if (err.status === 400) {
            const found = serverFieldErrors(err.problem.errors);
            // The row-level rule refused an owner that would hide the customer from its editor.
            if (err.problem.errors?.some((e) => e.field === "owner" && e.code === "not_visible")) {
              found.owner = t("edit.ownerNotVisible");
            }
            setErrors(found);
          }
        },
      },
    );
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const patch = patchOf(valuesOf(base), values);
    if (Object.keys(patch).length === 0) return onClose();
    submit(patch, base.version);
  };

  const resolve = (choice: Record<string, ConflictChoice>) => {
    if (!conflict) return;
    const theirs = valuesOf(conflict.current);
    // The decided values on top of the current state; then saved against the current version.
    const decided: Values = { ...theirs };
    for (const f of conflict.fields) if (choice[f] !== "theirs") decided[f] = values[f];
    setBase(conflict.current);
    setValues(decided);
    setConflict(null);
    const patch = patchOf(theirs, decided);
    if (Object.keys(patch).length === 0) {
      qc.invalidateQueries({ queryKey: ["customers"] });
      return onClose();
    }
    submit(patch, conflict.current.version);
  };

  const field = (f: Field) => ({
    value: values[f],
    error: errors[f],
    onChange: (e: { currentTarget: { value: string } }) => setValues({ ...values, [f]: e.currentTarget.value }),
  });
  const show = (f: Field, v: string) => (f === "status" && v ? t(`status.${v}`) : v || "–");

  return (
    <Modal opened onClose={onClose} title={t("edit.title", { name: customer.name1 })} size="lg">
      {conflict ? (
        <ConflictDialog
          inline
          fields={conflict.fields.map((f) => ({ key: f, label: t(`edit.fields.${f}`) }))}
          mine={Object.fromEntries(conflict.fields.map((f) => [f, show(f, values[f])]))}
          theirs={Object.fromEntries(conflict.fields.map((f) => [f, show(f, valuesOf(conflict.current)[f])]))}
          onResolve={resolve}
          onCancel={onClose}
          pending={save.isPending}
        />
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <Stack>
            <TextInput label={t("edit.fields.name1")} required {...field("name1")} />
            <TextInput label={t("edit.fields.name2")} {...field("name2")} />
            <Select
              label={t("edit.fields.status")}
              data={["prospect", "active", "inactive"].map((s) => ({ value: s, label: t(`status.${s}`) }))}
              value={values.status}
              onChange={(v) => v && setValues({ ...values, status: v })}
              allowDeselect={false}
              error={errors.status}
            />
            <TextInput label={t("edit.fields.customerGroup")} {...field("customerGroup")} />
            <TextInput label={t("edit.fields.owner")} {...field("owner")} />
            <TextInput label={t("edit.fields.vatId")} {...field("vatId")} />
            <Textarea label={t("edit.fields.notes")} autosize minRows={2} maxRows={6} {...field("notes")} />
            {save.isError && !(save.error instanceof ProblemError && [400, 412].includes(save.error.status)) && (
              <Alert color="red">{save.error.message}</Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t("customers.cancel")}
              </Button>
              <Button type="submit" loading={save.isPending}>
                {t("edit.save")}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
