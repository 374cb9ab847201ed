import { type BankAccount, BankAccountCreate, BankAccountUpdate } from "@kundenakte/contract";
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import type { TFunction } from "i18next";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan } from "../auth/session";
import {
  FormButtons,
  type FormValues,
  problemText,
  RowActions,
  SkeletonRows,
  textOf,
  textOrNull,
  useDeleteFlow,
  useFlagPart,
  useFocusAfter,
  usePartForm,
  useParts,
} from "./parts";

/** The form shows the IBAN grouped in fours, as it is printed. */
function valuesOf(b: BankAccount | null): FormValues {
  return {
    iban: b?.ibanDisplay ?? "",
    bic: b?.bic ?? "",
    bankName: b?.bankName ?? "",
    accountHolder: b?.accountHolder ?? "",
    isDefault: b?.isDefault ?? false,
  };
}

function toBody(v: FormValues): Record<string, unknown> {
  return {
    iban: textOf(v.iban),
    bic: textOrNull(v.bic),
    bankName: textOrNull(v.bankName),
    accountHolder: textOrNull(v.accountHolder),
    isDefault: v.isDefault === true,
  };
}

function show(t: TFunction, field: string, v: FormValues): string {
  const value = v[field];
  if (typeof value === "boolean") return t(value ? "addresses.yes" : "addresses.no");
  return (value ?? "").trim();
}

function BankAccountForm({
  customerId,
  account,
  onDone,
  onCancel,
}: {
  customerId: number;
  account: BankAccount | null;
  onDone: (saved: BankAccount | null) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const form = usePartForm<BankAccount>({
    customerId,
    path: "bank-accounts",
    record: account,
    valuesOf,
    toBody,
    schemas: { create: BankAccountCreate, update: BankAccountUpdate },
    label: (f) => t(`addresses.bank.fields.${f}`),
    show: (f, v) => show(t, f, v),
    conflictMessage: t("addresses.bank.conflict"),
    onDone,
    onCancel,
  });
  const keepsDefault = account?.isDefault === true;
  return (
    <form
      ref={form.formRef}
      onSubmit={form.submit}
      onKeyDown={form.onKeyDown}
      noValidate
      aria-label={account ? t("addresses.bank.formEdit") : t("addresses.bank.formNew")}
    >
      {form.conflictView}
      <Stack gap="xs">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="xs" verticalSpacing="xs">
          <TextInput
            ref={first}
            label={t("addresses.bank.fields.iban")}
            required
            autoComplete="off"
            spellCheck={false}
            styles={{ input: { fontVariantNumeric: "tabular-nums" } }}
            {...form.text("iban")}
          />
          <TextInput
            label={t("addresses.bank.fields.bic")}
            autoComplete="off"
            spellCheck={false}
            {...form.text("bic")}
          />
          <TextInput label={t("addresses.bank.fields.bankName")} {...form.text("bankName")} />
          <TextInput label={t("addresses.bank.fields.accountHolder")} {...form.text("accountHolder")} />
        </SimpleGrid>
        <Checkbox
          label={t("addresses.bank.fields.isDefault")}
          description={keepsDefault ? t("addresses.bank.defaultKept") : undefined}
          disabled={keepsDefault}
          {...form.check("isDefault")}
        />
        <FormButtons
          pending={form.pending}
          error={form.formError}
          onCancel={onCancel}
          saveLabel={account ? t("addresses.save") : t("addresses.bank.create")}
        />
      </Stack>
    </form>
  );
}

/** The customer's bank accounts (finance data: only shown to those who may see it). */
export function BankAccountsSection({ customerId }: { customerId: number }) {
  const { t } = useTranslation();
  const canCreate = useCan("finance.create");
  const canUpdate = useCan("finance.update");
  const canDelete = useCan("finance.delete");
  const list = useParts<BankAccount>(customerId, "bank-accounts");
  const [editing, setEditing] = useState<number | "new" | null>(null);
  const [section, focus] = useFocusAfter<HTMLDivElement>();
  const flag = useFlagPart<BankAccount>(customerId, "bank-accounts");
  const removal = useDeleteFlow<BankAccount>(
    customerId,
    "bank-accounts",
    (b) => ({ title: t("addresses.bank.deleteTitle"), text: t("addresses.bank.deleteText", { iban: b.ibanDisplay }) }),
    (b, deleted) => (deleted ? focus("add-bank") : focus(`more-${b.id}`)),
  );
  const items = list.data ?? [];
  const withActions = canUpdate || canDelete;
  const columns = withActions ? 5 : 4;
  const close = (...keys: string[]) => {
    setEditing(null);
    focus(...keys);
  };

  return (
    <Stack component="section" aria-label={t("addresses.bank.title")} gap="xs" ref={section}>
      <Group justify="space-between">
        <Title order={2} size="h4" tabIndex={-1}>
          {t("addresses.bank.title")}
        </Title>
        {canCreate && editing !== "new" && (
          <Button size="xs" variant="light" data-focus="add-bank" onClick={() => setEditing("new")}>
            {t("addresses.bank.add")}
          </Button>
        )}
      </Group>
      {list.isError && <Alert color="red">{problemText(t, list.error)}</Alert>}
      {flag.isError && (
        <Alert color="red" withCloseButton onClose={() => flag.reset()}>
          {problemText(t, flag.error)}
        </Alert>
      )}
      {list.isSuccess && items.length === 0 && editing !== "new" && (
        <Text size="sm" c="dimmed">
          {t("addresses.bank.empty")}
        </Text>
      )}
      {(list.isPending || items.length > 0) && (
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label={t("addresses.bank.title")} aria-busy={list.isPending} tabularNums>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("addresses.bank.fields.iban")}</Table.Th>
                <Table.Th>{t("addresses.bank.fields.bic")}</Table.Th>
                <Table.Th>{t("addresses.bank.fields.bankName")}</Table.Th>
                <Table.Th>{t("addresses.bank.fields.accountHolder")}</Table.Th>
                {withActions && (
                  <Table.Th w={140}>
                    <VisuallyHidden>{t("addresses.actions")}</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.isPending && <SkeletonRows columns={columns} />}
              {items.map((b) =>
                editing === b.id ? (
                  <Table.Tr key={b.id}>
                    <Table.Td colSpan={columns} bg="var(--mantine-color-gray-0)">
                      <BankAccountForm
                        customerId={customerId}
                        account={b}
                        onDone={() => close(`edit-${b.id}`)}
                        onCancel={() => close(`edit-${b.id}`)}
                      />
                    </Table.Td>
                  </Table.Tr>
                ) : (
                  <Table.Tr key={b.id}>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: "nowrap" }}>
                        {b.ibanDisplay}
                      </Text>
                      {b.isDefault && (
                        <Badge size="sm" variant="light">
                          {t("addresses.bank.default")}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{b.bic}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{b.bankName}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{b.accountHolder}</Text>
                    </Table.Td>
                    {withActions && (
                      <Table.Td>
                        <RowActions
                          name={b.ibanDisplay}
                          id={b.id}
                          canEdit={canUpdate}
                          canDelete={canDelete}
                          flagLabel={b.isDefault ? null : t("addresses.bank.makeDefault")}
                          onEdit={() => setEditing(b.id)}
                          onFlag={() =>
                            flag.mutate(
                              { record: b, body: { isDefault: true } },
                              { onSettled: () => focus(`more-${b.id}`) },
                            )
                          }
                          onDelete={() => removal.ask(b)}
                        />
                      </Table.Td>
                    )}
                  </Table.Tr>
                ),
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing === "new" && (
        <Paper withBorder p="sm" bg="var(--mantine-color-gray-0)">
          <BankAccountForm
            customerId={customerId}
            account={null}
            onDone={(saved) => close(saved ? `edit-${saved.id}` : "add-bank", "add-bank")}
            onCancel={() => close("add-bank")}
          />
        </Paper>
      )}
      {removal.dialog}
    </Stack>
  );
}
