import type { Contact } from "@kundenakte/contract";
import { Anchor, Badge, Card, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";

/** The contacts part of the customer file: who to talk to, with click-to-call and mail links. */
export function ContactsCard({
  contacts,
}: {
  customerId: number;
  contacts: Contact[];
  /** The customer's version (If-Match for contact changes goes by the contact's own version). */
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Card withBorder component="section" aria-label={t("file.contacts")}>
      <Title order={2} size="h4" mb="xs">
        {t("file.contacts")}
      </Title>
      {contacts.length === 0 ? (
        <Text c="dimmed">{t("file.noContacts")}</Text>
      ) : (
        <Table>
          <Table.Tbody>
            {contacts.map((c: Contact) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  {[c.title, c.firstName, c.lastName].filter(Boolean).join(" ")}
                  {c.isPrimary && (
                    <Badge ml="xs" size="sm" variant="light">
                      {t("file.primary")}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{[c.position, c.department].filter(Boolean).join(", ")}</Table.Td>
                <Table.Td>{c.phone && <Anchor href={`tel:${c.phone}`}>{c.phoneDisplay}</Anchor>}</Table.Td>
                <Table.Td>{c.email && <Anchor href={`mailto:${c.email}`}>{c.email}</Anchor>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
