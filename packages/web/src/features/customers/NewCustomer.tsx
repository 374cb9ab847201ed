import {
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
  firstName: "",
  lastName: "",
  phone: "",
  email: "",
};
type Values = typeof EMPTY;

/** The request the form's values make: address and contact only when something was typed for them. */
function requestOf(kind: "company" | "person", v: Values): CustomerCreate {
  const body: CustomerCreate = { kind, name1: v.name1.trim() };
  if (v.street.trim() || v.postalCode.trim() || v.city.trim()) {
    body.addresses = [
      { type: "billing", street: v.street.trim(), postalCode: v.postalCode.trim(), city: v.city.trim() },
    ];
  }
  if (v.lastName.trim()) {
    body.contacts = [
      {
        lastName: v.lastName.trim(),
        ...(v.firstName.trim() ? { firstName: v.firstName.trim() } : {}),
        ...(v.phone.trim() ? { phone: v.phone.trim() } : {}),
        ...(v.email.trim() ? { email: v.email.trim() } : {}),
        isPrimary: true,
      },
    ];
  }
  return body;
}

/** Server field paths → the form's fields. */
const FIELD_OF: Record<string, keyof Values> = {
  name1: "name1",
  "addresses/0/street": "street",
  "addresses/0/postalCode": "postalCode",
  "addresses/0/city": "city",
  "contacts/0/firstName": "firstName",
  "contacts/0/lastName": "lastName",
  "contacts/0/phone": "phone",
  "contacts/0/email": "email",
};

function mapErrors(errors: Record<string, string>): Partial<Record<keyof Values, string>> {
  const out: Partial<Record<keyof Values, string>> = {};
  for (const [path, message] of Object.entries(errors)) {
    const f = FIELD_OF[path];
    if (f) out[f] ??= message;
  }
  return out;
}

/** Possible duplicates of what is typed so far: asked while typing, shown before saving. */
function useDuplicates(values: Values) {
  const [v] = useDebouncedValue(values, 400);
  const probe = {
    name1: v.name1.trim(),
    ...(v.postalCode.trim() ? { postalCode: v.postalCode.trim() } : {}),
    ...(v.city.trim() ? { city: v.city.trim() } : {}),
    ...(v.email.trim() ? { emails: [v.email.trim()] } : {}),
    ...(v.phone.trim() ? { phones: [v.phone.trim()] } : {}),
  };
  return useQuery({
    queryKey: ["duplicates", probe],
    queryFn: () => api<DuplicateCheckResult>("/duplicates/check", { method: "POST", body: probe }),
    enabled: probe.name1.length >= 3,
    staleTime: 60_000,
  });
}

/**
 * A new customer with its billing address and first contact, in one request. Checked in the
 * browser with the server's schema; possible duplicates are shown while typing, before saving
 * (saving anyway is allowed: the server does not refuse them).
 */
export function NewCustomer({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateCustomer();
  const [kind, setKind] = useState<"company" | "person">("company");
  const [values, setValues] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<keyof Values, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const duplicates = useDuplicates(values);
  const candidates = duplicates.data?.candidates ?? [];

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    const body = requestOf(kind, values);
    const all = validate(CustomerCreateSchema, body, t);
    const local = mapErrors(all);
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
        const mapped = mapErrors(serverFieldErrors(err.problem.errors));
        setErrors(mapped);
        if (Object.keys(mapped).length === 0) setFailure(err.message);
      } else setFailure(err instanceof Error ? err.message : String(err));
    }
  }

  const field = (f: keyof Values, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput
      label={label}
      value={values[f]}
      error={errors[f]}
      onChange={(e) => setValues({ ...values, [f]: e.currentTarget.value })}
      {...extra}
    />
  );

  return (
    <Modal opened={opened} onClose={onClose} title={t("customers.new")} size="lg">
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
          {field("name1", t("customers.name"), { required: true, "data-autofocus": true })}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {field("street", t("newCustomer.street"))}
            {field("postalCode", t("newCustomer.postalCode"))}
            {field("city", t("newCustomer.city"))}
          </SimpleGrid>
          <Title order={3} size="h5">
            {t("newCustomer.contact")}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {field("firstName", t("newCustomer.firstName"))}
            {field("lastName", t("newCustomer.lastName"))}
            {field("phone", t("newCustomer.phone"), { type: "tel" })}
            {field("email", t("newCustomer.email"), { type: "email" })}
          </SimpleGrid>
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
