import { type Contact, ContactCreate, ContactUpdate, SALUTATIONS } from "@kundenakte/contract";
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  NativeSelect,
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
import { SuccessNotice } from "../../lib/readable";
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
} from "../addresses/parts";
import { useCan } from "../auth/session";
import { MergeContactsDialog } from "./MergeContactsDialog";

const TEXT_FIELDS = ["title", "firstName", "position", "department", "phone", "mobile", "email"] as const;

export const contactName = (c: Pick<Contact, "title" | "firstName" | "lastName">) =>
  [c.title, c.firstName, c.lastName].filter(Boolean).join(" ");

/** The form's values; phones as people read them (national format), as they are shown. */
function valuesOf(c: Contact | null): FormValues {
  return {
    salutation: c?.salutation ?? "",
    title: c?.title ?? "",
    firstName: c?.firstName ?? "",
    lastName: c?.lastName ?? "",
    position: c?.position ?? "",
    department: c?.department ?? "",
    phone: c?.phoneDisplay ?? c?.phone ?? "",
    mobile: c?.mobileDisplay ?? c?.mobile ?? "",
    email: c?.email ?? "",
    isPrimary: c?.isPrimary ?? false,
    active: c?.active ?? true,
  };
}

function toBody(v: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {
    salutation: v.salutation === "" ? null : v.salutation,
    lastName: textOf(v.lastName),
    isPrimary: v.isPrimary === true,
    active: v.active === true,
  };
  for (const f of TEXT_FIELDS) body[f] = textOrNull(v[f]);
  return body;
}

function show(t: TFunction, field: string, v: FormValues): string {
  const value = v[field];
  if (typeof value === "boolean") return t(value ? "contacts.yes" : "contacts.no");
  if (field === "salutation") return value ? t(`contacts.salutations.${value}`) : "";
  return (value ?? "").trim();
}

/** The inline form of one contact (or a new one): Enter saves, Escape cancels. */
function ContactForm({
  customerId,
  contact,
  onDone,
  onCancel,
}: {
  customerId: number;
  contact: Contact | null;
  onDone: (saved: Contact | null) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => first.current?.focus(), []);
  const form = usePartForm<Contact>({
    customerId,
    path: "contacts",
    record: contact,
    valuesOf,
    toBody,
    schemas: { create: ContactCreate, update: ContactUpdate },
    label: (f) => t(`contacts.fields.${f}`),
    show: (f, v) => show(t, f, v),
    conflictMessage: t("contacts.conflict"),
    onDone,
    onCancel,
  });
  const name = contact ? contactName(contact) : "";
  return (
    <form
      ref={form.formRef}
      onSubmit={form.submit}
      onKeyDown={form.onKeyDown}
      noValidate
      aria-label={contact ? t("contacts.formEdit", { name }) : t("contacts.formNew")}
    >
      {form.conflictView}
      <Stack gap="xs">
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" verticalSpacing="xs">
          <NativeSelect
            ref={first}
            label={t("contacts.fields.salutation")}
            data={[
              { value: "", label: t("contacts.salutations.none") },
              ...SALUTATIONS.map((s) => ({ value: s, label: t(`contacts.salutations.${s}`) })),
            ]}
            {...form.text("salutation")}
          />
          <TextInput label={t("contacts.fields.title")} {...form.text("title")} />
          <TextInput label={t("contacts.fields.firstName")} autoComplete="off" {...form.text("firstName")} />
          <TextInput label={t("contacts.fields.lastName")} required autoComplete="off" {...form.text("lastName")} />
          <TextInput label={t("contacts.fields.position")} {...form.text("position")} />
          <TextInput label={t("contacts.fields.department")} {...form.text("department")} />
          <TextInput label={t("contacts.fields.phone")} type="tel" {...form.text("phone")} />
          <TextInput label={t("contacts.fields.mobile")} type="tel" {...form.text("mobile")} />
        </SimpleGrid>
        <Group align="flex-end" gap="md" wrap="wrap">
          <TextInput
            label={t("contacts.fields.email")}
            type="email"
            autoComplete="off"
            style={{ flex: "1 1 240px" }}
            {...form.text("email")}
          />
          <Group align="flex-start" gap="md" wrap="nowrap" pb={4}>
            <Checkbox
              label={t("contacts.fields.isPrimary")}
              description={t("contacts.primaryHint")}
              {...form.check("isPrimary")}
            />
            <Checkbox label={t("contacts.fields.active")} {...form.check("active")} />
          </Group>
        </Group>
        <FormButtons
          pending={form.pending}
          error={form.formError}
          onCancel={onCancel}
          saveLabel={contact ? t("contacts.save") : t("contacts.create")}
        />
      </Stack>
    </form>
  );
}

/** Phone and mobile, both click-to-call. */
function Phones({ c }: { c: Contact }) {
  const { t } = useTranslation();
  return (
    <Stack gap={0}>
      {c.phone && (
        <Anchor href={`tel:${c.phone}`} size="sm" style={{ whiteSpace: "nowrap" }}>
          {c.phoneDisplay ?? c.phone}
        </Anchor>
      )}
      {c.mobile && (
        <Text size="sm" style={{ whiteSpace: "nowrap" }}>
          <Text span size="xs" c="dimmed">
            {t("contacts.mobileShort")}{" "}
          </Text>
          <Anchor href={`tel:${c.mobile}`} size="sm">
            {c.mobileDisplay ?? c.mobile}
          </Anchor>
        </Text>
      )}
    </Stack>
  );
}

/**
 * The contacts part of the customer file: who to talk to, with role, department, click-to-call
 * and mail links, and the primary contact marked. Added, edited, made primary and deleted in
 * place, as far as the user's rights go.
 */
export function ContactsCard({
  customerId,
  contacts,
  canEdit,
}: {
  customerId: number;
  contacts: Contact[];
  /** May change contacts (contacts.update); adding and deleting go by their own rights. */
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const canCreate = useCan("contacts.create");
  const canDelete = useCan("contacts.delete");
  const [editing, setEditing] = useState<number | "new" | null>(null);
  // Merging removes a contact: the same right as deleting one, and only with someone to merge with.
  const canMerge = canDelete && contacts.length >= 2;
  const [merging, setMerging] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [card, focus] = useFocusAfter<HTMLDivElement>();
  const flag = useFlagPart<Contact>(customerId, "contacts");
  const removal = useDeleteFlow<Contact>(
    customerId,
    "contacts",
    (c) => ({ title: t("contacts.deleteTitle"), text: t("contacts.deleteText", { name: contactName(c) }) }),
    (c, deleted) => (deleted ? focus("add") : focus(`more-${c.id}`)),
  );
  const withActions = canEdit || canDelete;
  const columns = withActions ? 5 : 4;

  const close = (...keys: string[]) => {
    setEditing(null);
    focus(...keys);
  };

  return (
    <Card withBorder component="section" aria-label={t("file.contacts")} ref={card}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" tabIndex={-1}>
          {t("file.contacts")}
        </Title>
        {canCreate && editing !== "new" && (
          <Button size="xs" variant="light" data-focus="add" onClick={() => setEditing("new")}>
            {t("contacts.add")}
          </Button>
        )}
      </Group>
      <SuccessNotice text={notice} onClose={() => setNotice(null)} closeLabel={t("app.close")} mb="xs" />
      {flag.isError && (
        <Alert color="red" mb="xs" withCloseButton onClose={() => flag.reset()}>
          {problemText(t, flag.error)}
        </Alert>
      )}
      {contacts.length === 0 && editing !== "new" && (
        <Text c="dimmed">{canCreate ? t("contacts.empty") : t("file.noContacts")}</Text>
      )}
      {contacts.length > 0 && (
        <Table.ScrollContainer minWidth={620}>
          <Table verticalSpacing={6} aria-label={t("file.contacts")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w="26%">{t("contacts.columns.name")}</Table.Th>
                <Table.Th w="22%">{t("contacts.columns.role")}</Table.Th>
                <Table.Th w="18%">{t("contacts.columns.phone")}</Table.Th>
                <Table.Th>{t("contacts.columns.email")}</Table.Th>
                {withActions && (
                  <Table.Th w={canMerge ? 150 : 120}>
                    <VisuallyHidden>{t("contacts.columns.actions")}</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {contacts.map((c) =>
                editing === c.id ? (
                  <Table.Tr key={c.id}>
                    <Table.Td colSpan={columns} bg="var(--mantine-color-gray-0)">
                      <ContactForm
                        customerId={customerId}
                        contact={c}
                        onDone={() => close(`edit-${c.id}`)}
                        onCancel={() => close(`edit-${c.id}`)}
                      />
                    </Table.Td>
                  </Table.Tr>
                ) : (
                  <Table.Tr key={c.id} style={c.active ? undefined : { opacity: 0.55 }}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {contactName(c)}
                      </Text>
                      <Group gap={4}>
                        {c.isPrimary && (
                          <Badge size="sm" variant="light">
                            {t("file.primary")}
                          </Badge>
                        )}
                        {!c.active && (
                          <Badge size="sm" variant="outline" color="gray">
                            {t("contacts.inactive")}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{c.position}</Text>
                      {c.department && (
                        <Text size="xs" c="dimmed">
                          {c.department}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Phones c={c} />
                    </Table.Td>
                    <Table.Td style={{ overflowWrap: "anywhere" }}>
                      {c.email && (
                        <Anchor href={`mailto:${c.email}`} size="sm">
                          {c.email}
                        </Anchor>
                      )}
                    </Table.Td>
                    {withActions && (
                      <Table.Td>
                        <Group gap={2} wrap="nowrap" justify="flex-end">
                          {canMerge && (
                            <ActionIcon
                              variant="subtle"
                              color="gray"
                              data-focus={`merge-${c.id}`}
                              aria-label={t("contacts.merge.actionOf", { name: contactName(c) })}
                              title={t("contacts.merge.action")}
                              onClick={() => {
                                setNotice(null);
                                setMerging(c.id);
                              }}
                            >
                              <span aria-hidden="true">⇄</span>
                            </ActionIcon>
                          )}
                          <RowActions
                            name={contactName(c)}
                            id={c.id}
                            canEdit={canEdit}
                            canDelete={canDelete}
                            flagLabel={c.isPrimary ? null : t("contacts.makePrimary")}
                            onEdit={() => setEditing(c.id)}
                            onFlag={() =>
                              flag.mutate(
                                { record: c, body: { isPrimary: true } },
                                { onSettled: () => focus(`more-${c.id}`) },
                              )
                            }
                            onDelete={() => removal.ask(c)}
                          />
                        </Group>
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
        <Paper withBorder p="sm" mt="xs" bg="var(--mantine-color-gray-0)">
          <ContactForm
            customerId={customerId}
            contact={null}
            onDone={(saved) => close(saved ? `edit-${saved.id}` : "add", "add")}
            onCancel={() => close("add")}
          />
        </Paper>
      )}
      {removal.dialog}
      {merging !== null && (
        <MergeContactsDialog
          customerId={customerId}
          survivorId={merging}
          contacts={contacts}
          onClose={() => {
            setMerging(null);
            focus(`merge-${merging}`);
          }}
          onMerged={(text) => {
            setNotice(text);
            setMerging(null);
            focus(`merge-${merging}`, `more-${merging}`);
          }}
        />
      )}
    </Card>
  );
}
