import { ADDRESS_TYPES, type Address, AddressCreate, type AddressType, AddressUpdate } from "@kundenakte/contract";
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import type { TFunction } from "i18next";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan } from "../auth/session";
import { BankAccountsSection } from "./BankAccountsSection";
import { ChannelsSection } from "./ChannelsSection";
import {
  FormButtons,
  type FormValues,
  problemText,
  RowActions,
  textOf,
  textOrNull,
  useDeleteFlow,
  useFlagPart,
  useFocusAfter,
  usePartForm,
  useParts,
} from "./parts";

function valuesOf(a: Address | null, type: AddressType = "billing"): FormValues {
  return {
    type: a?.type ?? type,
    isDefault: a?.isDefault ?? false,
    name1: a?.name1 ?? "",
    name2: a?.name2 ?? "",
    street: a?.street ?? "",
    addition: a?.addition ?? "",
    postalCode: a?.postalCode ?? "",
    city: a?.city ?? "",
    country: a?.country ?? "DE",
  };
}

function toBody(v: FormValues): Record<string, unknown> {
  return {
    type: v.type,
    isDefault: v.isDefault === true,
    name1: textOrNull(v.name1),
    name2: textOrNull(v.name2),
    street: textOf(v.street),
    addition: textOrNull(v.addition),
    postalCode: textOf(v.postalCode),
    city: textOf(v.city),
    country: textOf(v.country).toUpperCase(),
  };
}

function show(t: TFunction, field: string, v: FormValues): string {
  const value = v[field];
  if (typeof value === "boolean") return t(value ? "addresses.yes" : "addresses.no");
  if (field === "type") return t(`addresses.type.${value}`);
  return (value ?? "").trim();
}

/** The lines of an address as it is printed on a letter. */
export function addressLines(a: Address): string[] {
  return [
    a.name1,
    a.name2,
    a.street,
    a.addition,
    `${a.postalCode} ${a.city}`,
    a.country !== "DE" ? a.country : null,
  ].filter((l): l is string => Boolean(l));
}

function AddressForm({
  customerId,
  address,
  type,
  onDone,
  onCancel,
}: {
  customerId: number;
  address: Address | null;
  type: AddressType;
  onDone: (saved: Address | null) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const form = usePartForm<Address>({
    customerId,
    path: "addresses",
    record: address,
    valuesOf: (a) => valuesOf(a, type),
    toBody,
    schemas: { create: AddressCreate, update: AddressUpdate },
    label: (f) => t(`addresses.fields.${f}`),
    show: (f, v) => show(t, f, v),
    conflictMessage: t("addresses.conflict"),
    onDone,
    onCancel,
  });
  // The default of a type cannot be taken away, only given to another address of the type.
  const keepsDefault = address?.isDefault === true && form.values.type === address.type;
  return (
    <form
      ref={form.formRef}
      onSubmit={form.submit}
      onKeyDown={form.onKeyDown}
      noValidate
      aria-label={address ? t("addresses.formEdit") : t(`addresses.formNew.${type}`)}
    >
      {form.conflictView}
      <Stack gap="xs">
        <TextInput ref={first} label={t("addresses.fields.name1")} {...form.text("name1")} />
        <TextInput label={t("addresses.fields.name2")} {...form.text("name2")} />
        <TextInput label={t("addresses.fields.street")} required {...form.text("street")} />
        <TextInput label={t("addresses.fields.addition")} {...form.text("addition")} />
        <Group gap="xs" align="flex-start" wrap="nowrap">
          <TextInput
            label={t("addresses.fields.postalCode")}
            required
            w={96}
            inputMode="numeric"
            {...form.text("postalCode")}
          />
          <TextInput label={t("addresses.fields.city")} required style={{ flex: 1 }} {...form.text("city")} />
          <TextInput label={t("addresses.fields.country")} w={64} maxLength={2} {...form.text("country")} />
        </Group>
        <NativeSelect
          label={t("addresses.fields.type")}
          data={ADDRESS_TYPES.map((ty) => ({ value: ty, label: t(`addresses.type.${ty}`) }))}
          {...form.text("type")}
        />
        <Checkbox
          label={t(`addresses.defaultOf.${form.values.type}`)}
          description={keepsDefault ? t("addresses.defaultKept") : undefined}
          disabled={keepsDefault}
          {...form.check("isDefault")}
        />
        <FormButtons
          pending={form.pending}
          error={form.formError}
          onCancel={onCancel}
          saveLabel={address ? t("addresses.save") : t("addresses.create")}
        />
      </Stack>
    </form>
  );
}

/** The customer's addresses, one column per type (billing, delivery, other). */
function AddressesSection({ customerId, canEdit }: { customerId: number; canEdit: boolean }) {
  const { t } = useTranslation();
  const canCreate = useCan("addresses.create") && canEdit;
  const canUpdate = useCan("addresses.update") && canEdit;
  const canDelete = useCan("addresses.delete") && canEdit;
  const list = useParts<Address>(customerId, "addresses");
  const [editing, setEditing] = useState<number | AddressType | null>(null);
  const [section, focus] = useFocusAfter<HTMLDivElement>();
  const flag = useFlagPart<Address>(customerId, "addresses");
  const removal = useDeleteFlow<Address>(
    customerId,
    "addresses",
    (a) => ({
      title: t("addresses.deleteTitle"),
      text: t("addresses.deleteText", { address: addressLines(a).join(", ") }),
    }),
    (a, deleted) => (deleted ? focus(`add-${a.type}`) : focus(`more-${a.id}`)),
  );
  const items = list.data ?? [];
  const close = (...keys: string[]) => {
    setEditing(null);
    focus(...keys);
  };

  return (
    <Stack component="section" aria-label={t("addresses.title")} gap="xs" ref={section}>
      <Title order={2} size="h4" tabIndex={-1}>
        {t("addresses.title")}
      </Title>
      {list.isError && <Alert color="red">{problemText(t, list.error)}</Alert>}
      {flag.isError && (
        <Alert color="red" withCloseButton onClose={() => flag.reset()}>
          {problemText(t, flag.error)}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
        {ADDRESS_TYPES.map((type) => {
          const ofType = items.filter((a) => a.type === type);
          return (
            <Stack key={type} gap="xs" component="section" aria-label={t(`addresses.group.${type}`)}>
              <Title order={3} size="h5" tabIndex={-1}>
                {t(`addresses.group.${type}`)}
              </Title>
              {list.isPending && <Skeleton height={96} />}
              {list.isSuccess && ofType.length === 0 && editing !== type && (
                <Text size="sm" c="dimmed">
                  {t(`addresses.empty.${type}`)}
                </Text>
              )}
              {ofType.map((a) =>
                editing === a.id ? (
                  <Paper key={a.id} withBorder p="sm" bg="var(--mantine-color-gray-0)">
                    <AddressForm
                      customerId={customerId}
                      address={a}
                      type={type}
                      onDone={() => close(`edit-${a.id}`)}
                      onCancel={() => close(`edit-${a.id}`)}
                    />
                  </Paper>
                ) : (
                  <Paper key={a.id} withBorder p="sm" component="article" aria-label={addressLines(a).join(", ")}>
                    <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
                      <Text size="sm">
                        {addressLines(a).map((line) => (
                          <span key={line} style={{ display: "block" }}>
                            {line}
                          </span>
                        ))}
                      </Text>
                      {(canUpdate || canDelete) && (
                        <RowActions
                          name={addressLines(a).join(", ")}
                          id={a.id}
                          canEdit={canUpdate}
                          canDelete={canDelete}
                          flagLabel={a.isDefault ? null : t(`addresses.makeDefault.${a.type}`)}
                          onEdit={() => setEditing(a.id)}
                          onFlag={() =>
                            flag.mutate(
                              { record: a, body: { isDefault: true } },
                              { onSettled: () => focus(`more-${a.id}`) },
                            )
                          }
                          onDelete={() => removal.ask(a)}
                        />
                      )}
                    </Group>
                    {a.isDefault && (
                      <Badge size="sm" variant="light" mt={4}>
                        {t(`addresses.defaultOf.${a.type}`)}
                      </Badge>
                    )}
                  </Paper>
                ),
              )}
              {editing === type && (
                <Paper withBorder p="sm" bg="var(--mantine-color-gray-0)">
                  <AddressForm
                    customerId={customerId}
                    address={null}
                    type={type}
                    onDone={(saved) => close(saved ? `edit-${saved.id}` : `add-${type}`, `add-${type}`)}
                    onCancel={() => close(`add-${type}`)}
                  />
                </Paper>
              )}
              {canCreate && editing !== type && list.isSuccess && (
                <div>
                  <Button size="xs" variant="light" data-focus={`add-${type}`} onClick={() => setEditing(type)}>
                    {t(`addresses.add.${type}`)}
                  </Button>
                </div>
              )}
            </Stack>
          );
        })}
      </SimpleGrid>
      {removal.dialog}
    </Stack>
  );
}

/**
 * The "addresses and bank data" tab of the customer file: every address by type with its
 * defaults, the communication channels, and — for finance — the bank accounts; each added,
 * edited and deleted in place as far as the user's rights go.
 */
export function AddressesPanel({
  customerId,
  canEdit,
  canSeeBank,
}: {
  customerId: number;
  canEdit: boolean;
  canSeeBank: boolean;
}) {
  return (
    <Stack gap="xl">
      <AddressesSection customerId={customerId} canEdit={canEdit} />
      <ChannelsSection customerId={customerId} canEdit={canEdit} />
      {canSeeBank && <BankAccountsSection customerId={customerId} />}
    </Stack>
  );
}
