import { CHANNEL_KINDS, type Channel, ChannelCreate, ChannelUpdate } from "@kundenakte/contract";
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
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

const PHONE_KINDS = new Set(["phone", "mobile", "fax"]);

/** The form shows phones as people read them (national format), as the list does. */
function valuesOf(c: Channel | null): FormValues {
  return {
    kind: c?.kind ?? "phone",
    value: c ? (PHONE_KINDS.has(c.kind) ? c.display : c.value) : "",
    label: c?.label ?? "",
    isPrimary: c?.isPrimary ?? false,
  };
}

function toBody(v: FormValues): Record<string, unknown> {
  return { kind: v.kind, value: textOf(v.value), label: textOrNull(v.label), isPrimary: v.isPrimary === true };
}

function show(t: TFunction, field: string, v: FormValues): string {
  const value = v[field];
  if (typeof value === "boolean") return t(value ? "addresses.yes" : "addresses.no");
  if (field === "kind") return t(`addresses.channel.kind.${value}`);
  return (value ?? "").trim();
}

/** Phones and mobiles call, e-mails write, web addresses open; a fax is only shown. */
export function ChannelLink({ c }: { c: Channel }) {
  if (c.kind === "phone" || c.kind === "mobile") return <Anchor href={`tel:${c.value}`}>{c.display}</Anchor>;
  if (c.kind === "email") return <Anchor href={`mailto:${c.value}`}>{c.display}</Anchor>;
  if (c.kind === "web")
    return (
      <Anchor href={c.value} target="_blank" rel="noreferrer">
        {c.display}
      </Anchor>
    );
  return <Text span>{c.display}</Text>;
}

function ChannelForm({
  customerId,
  channel,
  onDone,
  onCancel,
}: {
  customerId: number;
  channel: Channel | null;
  onDone: (saved: Channel | null) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);
  const form = usePartForm<Channel>({
    customerId,
    path: "channels",
    record: channel,
    valuesOf,
    toBody,
    schemas: { create: ChannelCreate, update: ChannelUpdate },
    label: (f) => t(`addresses.channel.fields.${f}`),
    show: (f, v) => show(t, f, v),
    conflictMessage: t("addresses.channel.conflict"),
    onDone,
    onCancel,
  });
  const keepsPrimary = channel?.isPrimary === true && form.values.kind === channel.kind;
  const kind = form.values.kind as string;
  return (
    <form
      ref={form.formRef}
      onSubmit={form.submit}
      onKeyDown={form.onKeyDown}
      noValidate
      aria-label={channel ? t("addresses.channel.formEdit") : t("addresses.channel.formNew")}
    >
      {form.conflictView}
      <Stack gap="xs">
        <Group gap="xs" align="flex-start" wrap="wrap">
          <NativeSelect
            ref={first}
            label={t("addresses.channel.fields.kind")}
            data={CHANNEL_KINDS.map((k) => ({ value: k, label: t(`addresses.channel.kind.${k}`) }))}
            w={140}
            {...form.text("kind")}
          />
          <TextInput
            label={t("addresses.channel.fields.value")}
            required
            type={PHONE_KINDS.has(kind) ? "tel" : kind === "email" ? "email" : "text"}
            style={{ flex: "2 1 220px" }}
            {...form.text("value")}
          />
          <TextInput
            label={t("addresses.channel.fields.label")}
            placeholder={t("addresses.channel.labelExample")}
            style={{ flex: "1 1 160px" }}
            {...form.text("label")}
          />
        </Group>
        <Checkbox
          label={t("addresses.channel.fields.isPrimary")}
          description={keepsPrimary ? t("addresses.channel.primaryKept") : undefined}
          disabled={keepsPrimary}
          {...form.check("isPrimary")}
        />
        <FormButtons
          pending={form.pending}
          error={form.formError}
          onCancel={onCancel}
          saveLabel={channel ? t("addresses.save") : t("addresses.channel.create")}
        />
      </Stack>
    </form>
  );
}

/** The customer's phones, fax, e-mails and web addresses, with the preferred one per kind. */
export function ChannelsSection({ customerId, canEdit }: { customerId: number; canEdit: boolean }) {
  const { t } = useTranslation();
  const canCreate = useCan("channels.create") && canEdit;
  const canUpdate = useCan("channels.update") && canEdit;
  const canDelete = useCan("channels.delete") && canEdit;
  const list = useParts<Channel>(customerId, "channels");
  const [editing, setEditing] = useState<number | "new" | null>(null);
  const [section, focus] = useFocusAfter<HTMLDivElement>();
  const flag = useFlagPart<Channel>(customerId, "channels");
  const removal = useDeleteFlow<Channel>(
    customerId,
    "channels",
    (c) => ({
      title: t("addresses.channel.deleteTitle"),
      text: t("addresses.channel.deleteText", { value: c.display }),
    }),
    (c, deleted) => (deleted ? focus("add-channel") : focus(`more-${c.id}`)),
  );
  const items = list.data ?? [];
  const withActions = canUpdate || canDelete;
  const columns = withActions ? 4 : 3;
  const close = (...keys: string[]) => {
    setEditing(null);
    focus(...keys);
  };

  return (
    <Stack component="section" aria-label={t("addresses.channel.title")} gap="xs" ref={section}>
      <Group justify="space-between">
        <Title order={2} size="h4" tabIndex={-1}>
          {t("addresses.channel.title")}
        </Title>
        {canCreate && editing !== "new" && (
          <Button size="xs" variant="light" data-focus="add-channel" onClick={() => setEditing("new")}>
            {t("addresses.channel.add")}
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
          {t("addresses.channel.empty")}
        </Text>
      )}
      {(list.isPending || items.length > 0) && (
        <Table.ScrollContainer minWidth={560}>
          <Table aria-label={t("addresses.channel.title")} aria-busy={list.isPending}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={160}>{t("addresses.channel.fields.kind")}</Table.Th>
                <Table.Th>{t("addresses.channel.fields.value")}</Table.Th>
                <Table.Th>{t("addresses.channel.fields.label")}</Table.Th>
                {withActions && (
                  <Table.Th w={140}>
                    <VisuallyHidden>{t("addresses.actions")}</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.isPending && <SkeletonRows columns={columns} />}
              {items.map((c) =>
                editing === c.id ? (
                  <Table.Tr key={c.id}>
                    <Table.Td colSpan={columns} bg="var(--mantine-color-gray-0)">
                      <ChannelForm
                        customerId={customerId}
                        channel={c}
                        onDone={() => close(`edit-${c.id}`)}
                        onCancel={() => close(`edit-${c.id}`)}
                      />
                    </Table.Td>
                  </Table.Tr>
                ) : (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      <Text size="sm">{t(`addresses.channel.kind.${c.kind}`)}</Text>
                      {c.isPrimary && (
                        <Badge size="sm" variant="light">
                          {t("addresses.channel.primary")}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      <ChannelLink c={c} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{c.label}</Text>
                    </Table.Td>
                    {withActions && (
                      <Table.Td>
                        <RowActions
                          name={`${t(`addresses.channel.kind.${c.kind}`)} ${c.display}`}
                          id={c.id}
                          canEdit={canUpdate}
                          canDelete={canDelete}
                          flagLabel={c.isPrimary ? null : t("addresses.channel.makePrimary")}
                          onEdit={() => setEditing(c.id)}
                          onFlag={() =>
                            flag.mutate(
                              { record: c, body: { isPrimary: true } },
                              { onSettled: () => focus(`more-${c.id}`) },
                            )
                          }
                          onDelete={() => removal.ask(c)}
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
          <ChannelForm
            customerId={customerId}
            channel={null}
            onDone={(saved) => close(saved ? `edit-${saved.id}` : "add-channel", "add-channel")}
            onCancel={() => close("add-channel")}
          />
        </Paper>
      )}
      {removal.dialog}
    </Stack>
  );
}
