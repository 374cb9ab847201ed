import {
  type ChannelCreate,
  type CustomerCreate,
  CustomerCreate as CustomerCreateSchema,
  type DuplicateCheckResult,
} from "@kundenakte/contract";
import {
  Alert,
  Anchor,
  Button,
  Group,
  Modal,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { api, ProblemError } from "../../lib/api";
import { serverFieldErrors, validate } from "../../lib/validate";
import { useCreateCustomer } from "./api";

const EMPTY = {
  name1: "",
  street: "",
  postalCode: "",
  city: "",
  country: "DE",
  phone: "",
  email: "",
  web: "",
  vatId: "",
  firstName: "",
  lastName: "",
  contactPhone: "",
  contactEmail: "",
};
type Values = typeof EMPTY;
type Field = keyof Values;

const has = (v: string) => v.trim() !== "";

/** Whether the user started an address: then street, postal code and city are required. */
const addressStarted = (v: Values) => has(v.street) || has(v.postalCode) || has(v.city);
/** Whether the user named a contact person: then the last name is required. */
const contactNamed = (v: Values) => has(v.firstName) || has(v.lastName);
/**
 * Phone or e-mail typed under "contact person" without a name: they are kept as the customer's
 * own channels (a contact needs a last name; dropping what was typed would lose it silently).
 */
const contactDetailsToCustomer = (v: Values) => !contactNamed(v) && (has(v.contactPhone) || has(v.contactEmail));

/**
 * The request the form's values make: address, channels and contact only when something was
 * typed for them. Returns the form field of each channel too, to place the server's errors.
 */
function requestOf(kind: "company" | "person", v: Values): { body: CustomerCreate; channelFields: Field[] } {
  const body: CustomerCreate = { kind, name1: v.name1.trim() };
  if (has(v.vatId)) body.vatId = v.vatId.replace(/\s+/g, "").toUpperCase();
  if (addressStarted(v)) {
    body.addresses = [
      {
        type: "billing",
        street: v.street.trim(),
        postalCode: v.postalCode.trim(),
        city: v.city.trim(),
        country: v.country.trim().toUpperCase() || "DE",
      },
    ];
  }
  const channels: { field: Field; kind: ChannelCreate["kind"]; value: string }[] = [
    { field: "phone", kind: "phone", value: v.phone.trim() },
    { field: "email", kind: "email", value: v.email.trim() },
    { field: "web", kind: "web", value: v.web.trim() },
  ];
  if (contactDetailsToCustomer(v)) {
    channels.push(
      { field: "contactPhone", kind: "phone", value: v.contactPhone.trim() },
      { field: "contactEmail", kind: "email", value: v.contactEmail.trim() },
    );
  }
  // The same value twice (typed in both places) is one channel.
  const kept = channels.filter(
    (c, i) => c.value && channels.findIndex((o) => o.kind === c.kind && o.value === c.value) === i,
  );
  if (kept.length > 0) body.channels = kept.map((c) => ({ kind: c.kind, value: c.value }));
  if (contactNamed(v)) {
    body.contacts = [
      {
        lastName: v.lastName.trim(),
        ...(has(v.firstName) ? { firstName: v.firstName.trim() } : {}),
        ...(has(v.contactPhone) ? { phone: v.contactPhone.trim() } : {}),
        ...(has(v.contactEmail) ? { email: v.contactEmail.trim() } : {}),
        isPrimary: true,
      },
    ];
  }
  return { body, channelFields: kept.map((c) => c.field) };
}

/** Server (and schema) field paths → the form's fields. */
function fieldOf(path: string, channelFields: Field[]): Field | undefined {
  const channel = /^channels\/(\d+)/.exec(path);
  if (channel) return channelFields[Number(channel[1])];
  const fixed: Record<string, Field> = {
    name1: "name1",
    vatId: "vatId",
    "addresses/0/street": "street",
    "addresses/0/postalCode": "postalCode",
    "addresses/0/city": "city",
    "addresses/0/country": "country",
    "contacts/0/firstName": "firstName",
    "contacts/0/lastName": "lastName",
    "contacts/0/phone": "contactPhone",
    "contacts/0/email": "contactEmail",
  };
  return fixed[path];
}

function mapErrors(errors: Record<string, string>, channelFields: Field[]): Partial<Record<Field, string>> {
  const out: Partial<Record<Field, string>> = {};
  for (const [path, message] of Object.entries(errors)) {
    const f = fieldOf(path, channelFields);
    if (f) out[f] ??= message;
  }
  return out;
}

/** Possible duplicates of what is typed so far: asked while typing, shown before saving. */
function useDuplicates(values: Values) {
  const [v] = useDebouncedValue(values, 400);
  const emails = [v.email, v.contactEmail].map((x) => x.trim()).filter(Boolean);
  const phones = [v.phone, v.contactPhone].map((x) => x.trim()).filter(Boolean);
  const probe = {
    name1: v.name1.trim(),
    ...(has(v.vatId) ? { vatId: v.vatId.replace(/\s+/g, "").toUpperCase() } : {}),
    ...(has(v.postalCode) ? { postalCode: v.postalCode.trim() } : {}),
    ...(has(v.city) ? { city: v.city.trim() } : {}),
    ...(emails.length ? { emails } : {}),
    ...(phones.length ? { phones } : {}),
  };
  return useQuery({
    queryKey: ["duplicates", probe],
    queryFn: () => api<DuplicateCheckResult>("/duplicates/check", { method: "POST", body: probe }),
    enabled: probe.name1.length >= 3,
    staleTime: 60_000,
  });
}

/**
 * A new customer with its billing address, its own phone, e-mail and web site, VAT ID and first
 * contact, in one request. Checked in the browser with the server's schema; required fields are
 * marked (street, postal code and city once an address is begun, the last name once a contact
 * is); possible duplicates are shown while typing, before saving (saving anyway is allowed: the
 * server does not refuse them). Nothing typed is dropped: a contact's phone or e-mail without a
 * name is stored as the customer's, and the form says so.
 */
export function NewCustomer({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateCustomer();
  const [kind, setKind] = useState<"company" | "person">("company");
  const [values, setValues] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const duplicates = useDuplicates(values);
  const candidates = duplicates.data?.candidates ?? [];

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    const { body, channelFields } = requestOf(kind, values);
    const all = validate(CustomerCreateSchema, body, t);
    const local = mapErrors(all, channelFields);
    setErrors(local);
    if (Object.keys(all).length > 0) {
      // Something the form has no field for: say so rather than doing nothing.
      if (Object.keys(local).length === 0)
        setFailure(
          Object.entries(all)
            .map(([f, m]) => `${f}: ${m}`)
            .join("; "),
        );
      return;
    }
    try {
      const created = await create.mutateAsync(body);
      setValues(EMPTY);
      onClose();
      navigate(`/customers/${created.customer.id}`);
    } catch (err) {
      if (err instanceof ProblemError && err.problem.errors?.length) {
        const mapped = mapErrors(serverFieldErrors(err.problem.errors), channelFields);
        setErrors(mapped);
        if (Object.keys(mapped).length === 0) setFailure(err.message);
      } else setFailure(err instanceof Error ? err.message : String(err));
    }
  }

  const field = (f: Field, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput
      label={label}
      value={values[f]}
      error={errors[f]}
      onChange={(e) => setValues({ ...values, [f]: e.currentTarget.value })}
      {...extra}
    />
  );
  // Conditionally required: marked (and announced) as soon as the part is begun.
  const needed = (on: boolean) => ({ withAsterisk: on, "aria-required": on });
  const address = addressStarted(values);

  return (
    <Modal opened={opened} onClose={onClose} title={t("customers.new")} size="xl">
      <form onSubmit={submit} noValidate>
        <Stack>
          <SegmentedControl
            aria-label={t("customers.kind")}
            value={kind}
            onChange={(v) => setKind(v as "company" | "person")}
            data={[
              { value: "company", label: t("customers.company") },
              { value: "person", label: t("customers.person") },
            ]}
          />
          <Text size="xs" c="dimmed">
            {t("newCustomer.requiredHint")}
          </Text>
          {field("name1", t("customers.name"), { required: true, "data-autofocus": true })}
          <SimpleGrid cols={{ base: 1, sm: 4 }}>
            {field("street", t("newCustomer.street"), needed(address))}
            {field("postalCode", t("newCustomer.postalCode"), needed(address))}
            {field("city", t("newCustomer.city"), needed(address))}
            {field("country", t("newCustomer.country"), {
              maxLength: 2,
              description: t("newCustomer.countryHint"),
              autoComplete: "country",
            })}
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {field("phone", t("newCustomer.phone"), { type: "tel", autoComplete: "tel" })}
            {field("email", t("newCustomer.email"), { type: "email", autoComplete: "email" })}
            {field("web", t("newCustomer.web"), { type: "url", autoComplete: "url" })}
            {field("vatId", t("newCustomer.vatId"), { description: t("newCustomer.vatIdHint") })}
          </SimpleGrid>
          <Title order={3} size="h5" id="new-customer-contact">
            {t("newCustomer.contact")}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }} role="group" aria-labelledby="new-customer-contact">
            {field("firstName", t("newCustomer.firstName"))}
            {field("lastName", t("newCustomer.lastName"), needed(contactNamed(values)))}
            {field("contactPhone", t("newCustomer.phone"), {
              type: "tel",
              "aria-label": t("newCustomer.contactPhone"),
            })}
            {field("contactEmail", t("newCustomer.email"), {
              type: "email",
              "aria-label": t("newCustomer.contactEmail"),
            })}
          </SimpleGrid>
          {contactDetailsToCustomer(values) && (
            <Text size="sm" c="dimmed" aria-live="polite">
              {t("newCustomer.detailsToCustomer")}
            </Text>
          )}
          {candidates.length > 0 && (
            <Alert color="orange" title={t("newCustomer.duplicates")} role="status">
              <Stack gap={4}>
                {candidates.map((c) => (
                  <Text key={c.customerId} size="sm">
                    <Anchor href={`/customers/${c.customerId}`} target="_blank" rel="noreferrer">
                      {c.name}
                    </Anchor>{" "}
                    ({c.customerNumber}
                    {c.city ? `, ${c.city}` : ""}) –{" "}
                    {c.reasons.map((r) => t(`newCustomer.reason.${r.code}`)).join(", ")}
                  </Text>
                ))}
                <Text size="xs">{t("newCustomer.saveAnyway")}</Text>
              </Stack>
            </Alert>
          )}
          {failure && <Alert color="red">{failure}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t("customers.cancel")}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t("customers.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
