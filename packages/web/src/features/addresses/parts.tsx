/**
 * What the forms for a customer's parts (contacts, addresses, channels, bank accounts) share:
 * loading a list, the form state with the browser check against the contract's schema, the
 * server's field errors on the fields, If-Match with the record's version, the 412 conflict view,
 * delete with a confirmation, and refreshing everything of the customer after a change.
 */
import type { Problem } from "@kundenakte/contract";
import { ActionIcon, Alert, Button, Group, Menu, Modal, Stack, Text } from "@mantine/core";
import type { TSchema } from "@sinclair/typebox";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { type FormEvent, type KeyboardEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ProblemError } from "../../lib/api";
import { type ConflictChoice, ConflictDialog } from "../../lib/ConflictDialog";
import { problemText as readable } from "../../lib/readable";
import { validate } from "../../lib/validate";

export type PartPath = "contacts" | "addresses" | "channels" | "bank-accounts";
export type FormValues = Record<string, string | boolean>;
interface Versioned {
  id: number;
  version: number;
}

/** One list of a customer's parts, under the customer's query key (so a change refreshes it). */
export function useParts<T>(customerId: number, path: PartPath, enabled = true) {
  return useQuery({
    queryKey: ["customers", customerId, path],
    queryFn: async () => (await api<{ items: T[] }>(`/customers/${customerId}/${path}`)).items,
    enabled,
  });
}

/** After a change: the customer file (info panel, contacts), the lists in the tab, the customer list. */
export function refreshCustomer(qc: ReturnType<typeof useQueryClient>, customerId: number): Promise<unknown> {
  return Promise.all([
    qc.invalidateQueries({ queryKey: ["customers", customerId] }),
    qc.invalidateQueries({ queryKey: ["customers", "list"] }),
  ]);
}

/** A text for an error the user can read: a lack of rights, a record changed meanwhile, or what went wrong. */
export function problemText(t: TFunction, error: Error): string {
  if (error instanceof ProblemError && error.status === 412) return t("addresses.stale");
  return readable(t, error);
}

/**
 * The server's field errors as field → message. Known reason codes get a text in the user's
 * language; any other keeps the server's own message.
 */
export function serverErrors(problem: Problem, t: TFunction): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of problem.errors ?? []) {
    const field = e.field.replace(/^body\//, "");
    out[field] ??= t(`addresses.serverError.${e.code}`, { defaultValue: e.message });
  }
  return out;
}

/** Trimmed text; empty becomes null (the API's "no value"). */
export const textOrNull = (v: string | boolean | undefined): string | null => {
  const s = typeof v === "string" ? v.trim() : "";
  return s === "" ? null : s;
};
/** Trimmed text for a required field (empty stays empty, so the schema check names the field). */
export const textOf = (v: string | boolean | undefined): string => (typeof v === "string" ? v.trim() : "");

export interface PartFormConfig<T extends Versioned> {
  customerId: number;
  path: PartPath;
  /** The record edited, or null for a new one. */
  record: T | null;
  /** The form's values for a record (or the empty form for null). */
  valuesOf: (record: T | null) => FormValues;
  /** The API body of the form's values; its keys are the form's field names. */
  toBody: (values: FormValues) => Record<string, unknown>;
  schemas: { create: TSchema; update: TSchema };
  /** Label of a field (for the conflict view). */
  label: (field: string) => string;
  /** A field's value as people read it (for the conflict view). */
  show: (field: string, values: FormValues) => string;
  /** The 412 text for this kind of record. */
  conflictMessage: string;
  /** Called after saving (with the saved record) or when nothing was to save (null). */
  onDone: (saved: T | null) => void;
  /** Called on Escape and on the cancel button. */
  onCancel: () => void;
}

interface Conflict<T> {
  current: T;
  fields: string[];
}

/**
 * Form state and saving for one part. Sends only the changed fields, with If-Match; a 412 opens
 * the conflict view (`conflictView`), and the decision is saved against the current version.
 */
export function usePartForm<T extends Versioned>(cfg: PartFormConfig<T>) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [base, setBase] = useState<T | null>(cfg.record);
  const [values, setValues] = useState<FormValues>(() => cfg.valuesOf(cfg.record));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict<T> | null>(null);
  const url = `/customers/${cfg.customerId}/${cfg.path}`;
  const formRef = useRef<HTMLFormElement>(null);
  // Where the focus goes once the form has re-rendered: the first field in error, or a named field
  // (the save button is disabled while saving, so the browser would drop the focus to the page).
  const [focusField, setFocusField] = useState<string | null>(null);
  useEffect(() => {
    if (!focusField || !formRef.current) return;
    const el =
      (focusField === "error"
        ? formRef.current.querySelector<HTMLElement>('[aria-invalid="true"]')
        : formRef.current.querySelector<HTMLElement>(`[name="${focusField}"]`)) ??
      formRef.current.querySelector<HTMLElement>('button[type="submit"]');
    el?.focus();
    setFocusField(null);
  });

  const save = useMutation({
    mutationFn: (v: { body: Record<string, unknown>; version: number | null; id: number | null }) =>
      v.id === null
        ? api<T>(url, { method: "POST", body: v.body })
        : api<T>(`${url}/${v.id}`, { method: "PATCH", body: v.body, headers: { "if-match": `"${v.version}"` } }),
    // The lists are fresh before the form closes: no flash of the old state.
    onSuccess: () => refreshCustomer(qc, cfg.customerId),
  });

  /** Only what differs from the base, as the API wants it. */
  const patchOf = (from: FormValues, to: FormValues) => {
    const before = cfg.toBody(from);
    const after = cfg.toBody(to);
    return Object.fromEntries(
      Object.entries(after).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k] ?? null)),
    );
  };

  const send = (body: Record<string, unknown>, record: T | null, edited: FormValues) => {
    const local = validate(record ? cfg.schemas.update : cfg.schemas.create, body, t);
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length > 0) return setFocusField("error");
    save.mutate(
      { body, version: record?.version ?? null, id: record?.id ?? null },
      {
        onSuccess: (saved) => cfg.onDone(saved),
        onError: (err) => {
          if (!(err instanceof ProblemError)) return setFormError(t("error.generic", { detail: err.message }));
          if (err.status === 412 && err.problem.current && record) {
            const current = err.problem.current as T;
            const theirs = cfg.valuesOf(current);
            // The page shows the current state behind the form, whatever the user decides.
            void refreshCustomer(qc, cfg.customerId);
            const mine = cfg.valuesOf(record);
            // To decide: what both changed, to different values. What only the user changed stays
            // theirs to keep; what only the other person changed stays as it is now.
            const both = Object.keys(body).filter(
              (f) => cfg.show(f, mine) !== cfg.show(f, theirs) && cfg.show(f, edited) !== cfg.show(f, theirs),
            );
            if (both.length === 0) {
              setBase(current);
              const decided = { ...theirs };
              for (const f of Object.keys(body)) decided[f] = edited[f]!;
              setValues(decided);
              const rest = patchOf(theirs, decided);
              if (Object.keys(rest).length === 0) {
                void refreshCustomer(qc, cfg.customerId);
                return cfg.onDone(current);
              }
              return send(rest, current, decided);
            }
            setConflict({ current, fields: both });
            return;
          }
          if (err.status === 400 && err.problem.errors?.length) {
            const byField = serverErrors(err.problem, t);
            const onForm = Object.fromEntries(Object.entries(byField).filter(([f]) => f in values));
            const elsewhere = Object.entries(byField).filter(([f]) => !(f in values));
            setErrors(onForm);
            if (elsewhere.length > 0) setFormError(elsewhere.map(([, m]) => m).join(" "));
            return setFocusField("error");
          }
          setFormError(problemText(t, err));
          setFocusField("error");
        },
      },
    );
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (save.isPending) return;
    if (!base) {
      const body = Object.fromEntries(Object.entries(cfg.toBody(values)).filter(([, v]) => v !== null));
      return send(body, null, values);
    }
    const patch = patchOf(cfg.valuesOf(base), values);
    if (Object.keys(patch).length === 0) return cfg.onDone(null);
    send(patch, base, values);
  };

  const resolve = (choice: Record<string, ConflictChoice>) => {
    if (!conflict) return;
    const theirs = cfg.valuesOf(conflict.current);
    const mineFields = Object.keys(patchOf(cfg.valuesOf(base), values));
    const decided: FormValues = { ...theirs };
    for (const f of mineFields) if (choice[f] !== "theirs") decided[f] = values[f]!;
    setBase(conflict.current);
    setValues(decided);
    setConflict(null);
    const patch = patchOf(theirs, decided);
    if (Object.keys(patch).length === 0) {
      void refreshCustomer(qc, cfg.customerId);
      return cfg.onDone(conflict.current);
    }
    send(patch, conflict.current, decided);
  };

  const conflictView = conflict && (
    <ConflictDialog
      fields={conflict.fields.map((f) => ({ key: f, label: cfg.label(f) }))}
      mine={Object.fromEntries(conflict.fields.map((f) => [f, cfg.show(f, values)]))}
      theirs={Object.fromEntries(conflict.fields.map((f) => [f, cfg.show(f, cfg.valuesOf(conflict.current))]))}
      message={cfg.conflictMessage}
      onResolve={resolve}
      onCancel={() => {
        setFocusField(conflict.fields[0] ?? null);
        setConflict(null);
      }}
    />
  );

  /** Props for a text input bound to a field. */
  const text = (field: string) => ({
    name: field,
    value: (values[field] as string | undefined) ?? "",
    error: errors[field],
    onChange: (e: { currentTarget: { value: string } }) => {
      const v = e.currentTarget.value;
      setValues((prev) => ({ ...prev, [field]: v }));
    },
  });
  /** Props for a checkbox bound to a field. */
  const check = (field: string) => ({
    name: field,
    checked: values[field] === true,
    error: errors[field],
    onChange: (e: { currentTarget: { checked: boolean } }) => {
      const v = e.currentTarget.checked;
      setValues((prev) => ({ ...prev, [field]: v }));
    },
  });
  /** Escape cancels (unless a dropdown or dialog took it first). */
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape" && !e.defaultPrevented && !conflict) {
      e.preventDefault();
      cfg.onCancel();
    }
  };

  return { formRef, values, errors, formError, submit, pending: save.isPending, conflictView, text, check, onKeyDown };
}

/** Save and cancel under a part's form, with the form's own error above them. */
export function FormButtons({
  pending,
  error,
  onCancel,
  saveLabel,
}: {
  pending: boolean;
  error: string | null;
  onCancel: () => void;
  saveLabel: string;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group justify="flex-end" gap="xs">
        <Button variant="default" onClick={onCancel}>
          {t("customers.cancel")}
        </Button>
        <Button type="submit" loading={pending}>
          {saveLabel}
        </Button>
      </Group>
    </Stack>
  );
}

/** Deletes a part after the user confirmed it, with If-Match; refreshes the customer. */
export function useDeletePart<T extends Versioned>(customerId: number, path: PartPath) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (record: T) =>
      api<void>(`/customers/${customerId}/${path}/${record.id}`, {
        method: "DELETE",
        headers: { "if-match": `"${record.version}"` },
      }),
    onSettled: () => refreshCustomer(qc, customerId),
  });
}

/** Sets one flag (primary, default) on a record, with If-Match; refreshes the customer. */
export function useFlagPart<T extends Versioned>(customerId: number, path: PartPath) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ record, body }: { record: T; body: Record<string, unknown> }) =>
      api<T>(`/customers/${customerId}/${path}/${record.id}`, {
        method: "PATCH",
        body,
        headers: { "if-match": `"${record.version}"` },
      }),
    onSettled: () => refreshCustomer(qc, customerId),
  });
}

/** "Really delete?" with what is deleted named; the safe choice has the focus. */
export function ConfirmDelete({
  title,
  text,
  pending,
  error,
  onConfirm,
  onCancel,
}: {
  title: string;
  text: ReactNode;
  pending: boolean;
  error: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened onClose={onCancel} title={title}>
      <Stack>
        <Text>{text}</Text>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onCancel} data-autofocus>
            {t("customers.cancel")}
          </Button>
          <Button color="red" onClick={onConfirm} loading={pending}>
            {t("addresses.delete")}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export { SkeletonRows } from "../../lib/readable";

/**
 * Puts the focus back where the user was once the list has re-rendered: the first of the named
 * elements (`data-focus="…"`) that exists, else the section's heading.
 */
export function useFocusAfter<E extends HTMLElement>() {
  const ref = useRef<E>(null);
  const [keys, setKeys] = useState<string[] | null>(null);
  useEffect(() => {
    if (!keys || !ref.current) return;
    const root = ref.current;
    const el =
      keys.map((k) => root.querySelector<HTMLElement>(`[data-focus="${k}"]`)).find(Boolean) ??
      root.querySelector<HTMLElement>("h2, h3");
    el?.focus();
    setKeys(null);
  });
  return [ref, (...k: string[]) => setKeys(k)] as const;
}

/** Edit, and behind "more": set the flag (default, primary) and delete — only what the user may do. */
export function RowActions({
  name,
  id,
  canEdit,
  canDelete,
  flagLabel,
  onEdit,
  onFlag,
  onDelete,
}: {
  name: string;
  id: number;
  canEdit: boolean;
  canDelete: boolean;
  /** The flag action's text; none when the record has the flag already. */
  flagLabel: string | null;
  onEdit: () => void;
  onFlag: () => void;
  onDelete: () => void;
}) {
  const { t } = useTranslation();
  const withFlag = canEdit && flagLabel !== null;
  return (
    <Group gap={2} wrap="nowrap" justify="flex-end">
      {canEdit && (
        <Button
          size="compact-xs"
          variant="subtle"
          data-focus={`edit-${id}`}
          aria-label={t("addresses.editOf", { name })}
          onClick={onEdit}
        >
          {t("addresses.edit")}
        </Button>
      )}
      {(withFlag || canDelete) && (
        <Menu position="bottom-end">
          <Menu.Target>
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={t("addresses.more", { name })}
              data-focus={`more-${id}`}
            >
              <span aria-hidden="true">⋯</span>
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            {withFlag && <Menu.Item onClick={onFlag}>{flagLabel}</Menu.Item>}
            {canDelete && (
              <Menu.Item color="red" onClick={onDelete}>
                {t("addresses.delete")}
              </Menu.Item>
            )}
          </Menu.Dropdown>
        </Menu>
      )}
    </Group>
  );
}

/**
 * Delete with a confirmation: `ask(record)` opens it, `dialog` renders it. When the record was
 * changed meanwhile (412), the dialog takes the current state and a second confirmation deletes it.
 */
export function useDeleteFlow<T extends Versioned>(
  customerId: number,
  path: PartPath,
  texts: (record: T) => { title: string; text: string },
  after: (record: T, deleted: boolean) => void,
) {
  const { t } = useTranslation();
  const [deleting, setDeleting] = useState<T | null>(null);
  const remove = useDeletePart<T>(customerId, path);
  const close = (deleted: boolean) => {
    if (deleting) after(deleting, deleted);
    remove.reset();
    setDeleting(null);
  };
  const confirm = () => {
    if (!deleting) return;
    remove.mutate(deleting, {
      onSuccess: () => close(true),
      onError: (err) => {
        if (err instanceof ProblemError && err.status === 412 && err.problem.current)
          setDeleting(err.problem.current as T);
      },
    });
  };
  const dialog = deleting && (
    <ConfirmDelete
      {...texts(deleting)}
      pending={remove.isPending}
      error={remove.isError ? problemText(t, remove.error) : null}
      onConfirm={confirm}
      onCancel={() => close(false)}
    />
  );
  return { ask: setDeleting, dialog };
}
