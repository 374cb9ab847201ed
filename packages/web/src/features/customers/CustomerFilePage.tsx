import type { Address, Contact } from "@kundenakte/contract";
import { Alert, Anchor, Badge, Button, Card, Grid, Group, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ProblemError } from "../../lib/api";
import { formatMoney } from "../../lib/format";
import { useCan } from "../auth/session";
import { CustomerFinanceTabs } from "../finance/CustomerFinanceTabs";
import { KeyFiguresCard } from "../finance/KeyFiguresCard";
import { JournalPanel } from "../journal/JournalPanel";
import { rememberCustomer } from "../search/recent";
import { TicketsCard } from "../tickets/TicketsCard";
import { useCustomerFile } from "./api";
import { EditCustomer } from "./EditCustomer";
import { WishesCard } from "./WishesCard";

const BADGE_COLOR: Record<string, string> = { info: "blue", success: "green", warning: "yellow", danger: "red" };

function AddressBlock({ address }: { address: Address | null }) {
  if (!address) return <Text c="dimmed">–</Text>;
  return (
    <Text>
      {[
        address.name1,
        address.street,
        address.addition,
        `${address.postalCode} ${address.city}`,
        address.country !== "DE" ? address.country : null,
      ]
        .filter(Boolean)
        .map((line) => (
          <span key={line} style={{ display: "block" }}>
            {line}
          </span>
        ))}
    </Text>
  );
}

/**
 * The customer file: info panel with key figures, contacts, and the customer's documents,
 * purchase history and open items (the journal follows with its feature).
 */
export function CustomerFilePage() {
  const { t, i18n } = useTranslation();
  const id = Number(useParams().id);
  const file = useCustomerFile(id);
  const canLog = useCan("journal.create");
  const canEdit = useCan("customers.update");
  const canReadTickets = useCan("tickets.read");
  const canCreateTicket = useCan("tickets.create");
  const canUpdateTicket = useCan("tickets.update");
  const [editing, setEditing] = useState(false);
  const loaded = file.data?.customer;
  useEffect(() => {
    if (loaded) rememberCustomer({ id: loaded.id, name: loaded.name1, number: loaded.customerNumber });
  }, [loaded]);

  if (file.isPending) {
    return (
      <Stack>
        <Skeleton height={32} width="40%" />
        <Skeleton height={160} />
        <Skeleton height={120} />
      </Stack>
    );
  }
  if (file.isError) {
    const missing = file.error instanceof ProblemError && file.error.status === 404;
    return (
      <Alert color={missing ? "yellow" : "red"}>
        {missing ? t("file.notFound") : t("error.generic", { detail: file.error.message })}{" "}
        <Anchor component={Link} to="/customers">
          {t("file.back")}
        </Anchor>
      </Alert>
    );
  }
  const { customer, badges, contacts, channels, billingAddress, deliveryAddress, bankAccounts, keyFigures } = file.data;
  // Payment badges come from the key figures (finance and admin only); should the server one day
  // send them as badges itself, those win.
  const sent = new Set<string>(badges.map((b) => b.code));
  return (
    <Stack>
      {editing && <EditCustomer customer={customer} onClose={() => setEditing(false)} />}
      <Group>
        <Title order={1} size="h2">
          {customer.name1}
        </Title>
        <Text c="dimmed">{customer.customerNumber}</Text>
        {canEdit && (
          <Button variant="light" size="xs" onClick={() => setEditing(true)}>
            {t("edit.edit")}
          </Button>
        )}
        {badges.map((b) => (
          <Badge key={b.code} color={BADGE_COLOR[b.severity]} title={b.detail ?? undefined}>
            {t(`badge.${b.code}`)}
          </Badge>
        ))}
        {keyFigures?.overdue && !sent.has("overdue") && (
          <Badge
            color="red"
            title={
              keyFigures.overdueCents === undefined
                ? undefined
                : formatMoney(keyFigures.overdueCents, keyFigures.currency, i18n.language)
            }
          >
            {t("badge.overdue")}
          </Badge>
        )}
        {keyFigures?.creditExceeded && !sent.has("credit_limit_exceeded") && (
          <Badge color="red">{t("badge.credit_limit_exceeded")}</Badge>
        )}
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card withBorder component="section" aria-label={t("file.masterData")}>
            <Title order={2} size="h4" mb="xs">
              {t("file.masterData")}
            </Title>
            {customer.name2 && <Text>{customer.name2}</Text>}
            <Text size="sm" c="dimmed">
              {t("file.vatId")}: {customer.vatId ?? "–"}
            </Text>
            <Text size="sm" c="dimmed">
              {t("file.group")}: {customer.customerGroup ?? "–"}
            </Text>
            <Text size="sm" c="dimmed">
              {t("file.owner")}: {customer.owner ?? "–"}
            </Text>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card withBorder component="section" aria-label={t("file.billingAddress")}>
            <Title order={2} size="h4" mb="xs">
              {t("file.billingAddress")}
            </Title>
            <AddressBlock address={billingAddress} />
            {deliveryAddress && deliveryAddress.id !== billingAddress?.id && (
              <>
                <Title order={3} size="h5" mt="sm">
                  {t("file.deliveryAddress")}
                </Title>
                <AddressBlock address={deliveryAddress} />
              </>
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card withBorder component="section" aria-label={t("file.channels")}>
            <Title order={2} size="h4" mb="xs">
              {t("file.channels")}
            </Title>
            {channels.map((c) => (
              <Text key={c.id}>
                {c.kind === "email" ? (
                  <Anchor href={`mailto:${c.value}`}>{c.display}</Anchor>
                ) : c.kind === "web" ? (
                  <Anchor href={c.value} target="_blank" rel="noreferrer">
                    {c.display}
                  </Anchor>
                ) : (
                  <Anchor href={`tel:${c.value}`}>{c.display}</Anchor>
                )}
              </Text>
            ))}
          </Card>
        </Grid.Col>
      </Grid>
      <WishesCard file={file.data} />
      {keyFigures && <KeyFiguresCard figures={keyFigures} />}
      {bankAccounts && (
        <Card withBorder component="section" aria-label={t("file.bankAccounts")}>
          <Title order={2} size="h4" mb="xs">
            {t("file.bankAccounts")}
          </Title>
          {bankAccounts.map((b) => (
            <Text key={b.id}>
              {b.ibanDisplay} {b.bic && `· ${b.bic}`}
            </Text>
          ))}
        </Card>
      )}
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
      <JournalPanel customerId={customer.id} contacts={contacts} canLog={canLog} />
      {canReadTickets && (
        <TicketsCard customerId={customer.id} canCreate={canCreateTicket} canUpdate={canUpdateTicket} />
      )}
      {keyFigures && <CustomerFinanceTabs customerId={customer.id} figures={keyFigures} />}
    </Stack>
  );
}
