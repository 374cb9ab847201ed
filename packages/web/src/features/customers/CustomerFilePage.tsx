import type { Address } from "@kundenakte/contract";
import { Alert, Anchor, Badge, Button, Card, Grid, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { ProblemError } from "../../lib/api";
import { formatMoney } from "../../lib/format";
import { useCan } from "../auth/session";
import { ContactsCard } from "../contacts/ContactsCard";
import { KeyFiguresCard } from "../finance/KeyFiguresCard";
import { FollowUpsCard } from "../followups/FollowUpsCard";
import { JournalPanel } from "../journal/JournalPanel";
import { rememberCustomer } from "../search/recent";
import { customerFileQuery, useCustomerFile } from "./api";
import { EditCustomer } from "./EditCustomer";
import { FileTabs } from "./FileTabs";
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
 * The customer file, one page in three parts: the info panel (master data, wishes, key figures,
 * follow-ups) on the left; contacts and the journal on the right; below them the rest of the file
 * in tabs (documents, purchases, open items, credit, addresses and bank data, tickets, changes).
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
  const canReadDocuments = useCan("documents.read");
  const canReadFinance = useCan("finance.read");
  const canReadHistory = useCan("history.read");
  const canReadCustomers = useCan("customers.read");
  const canEditContacts = useCan("contacts.update");
  const canEditFollowUps = useCan("follow_ups.create");
  const [editing, setEditing] = useState(false);
  const loaded = file.data?.customer;
  // The tabs below the three parts render a frame later: the parts a user looks at first are on
  // screen (and usable) without waiting for the tabs' rendering.
  const [tabsShown, setTabsShown] = useState(false);
  useEffect(() => {
    if (!loaded || tabsShown) return;
    const frame = requestAnimationFrame(() => setTabsShown(true));
    return () => cancelAnimationFrame(frame);
  }, [loaded, tabsShown]);
  useEffect(() => {
    if (loaded) rememberCustomer({ id: loaded.id, name: loaded.name1, number: loaded.customerNumber });
  }, [loaded]);
  // A merged customer's old address answers its survivor's file (the API redirects): the URL
  // follows, so reloads, tabs and links name the customer shown.
  const navigate = useNavigate();
  const { search } = useLocation();
  const qc = useQueryClient();
  useEffect(() => {
    if (!loaded || loaded.id === id) return;
    // The survivor's file is at hand already: no second request, no skeleton in between.
    qc.setQueryData(customerFileQuery(loaded.id).queryKey, file.data);
    navigate(`/customers/${loaded.id}${search}`, { replace: true });
  }, [loaded, id, search, navigate, qc, file.data]);

  if (file.isPending) {
    return (
      <Stack aria-busy="true">
        <Skeleton height={32} width="40%" />
        <Grid>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Skeleton height={420} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Stack>
              <Skeleton height={140} />
              <Skeleton height={260} />
            </Stack>
          </Grid.Col>
        </Grid>
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
        {file.data.advertisingObjection?.customer && !sent.has("advertising_objection") && (
          <Badge color="grape" title={t("wishes.noAdvertising")}>
            {t("badge.advertising_objection")}
          </Badge>
        )}
        {keyFigures?.creditExceeded && !sent.has("credit_limit_exceeded") && (
          <Badge color="red">{t("badge.credit_limit_exceeded")}</Badge>
        )}
      </Group>
      {/* data-file-parts: the three parts, which the browser benchmark waits for (no skeleton left). */}
      <Grid data-file-parts={customer.id}>
        <Grid.Col span={{ base: 12, md: 4 }} component="aside" aria-label={t("file.infoPanel")}>
          <Stack>
            <Card withBorder component="section" aria-label={t("file.masterData")}>
              <Title order={2} size="h4" mb="xs">
                {t("file.masterData")}
              </Title>
              {customer.name2 && <Text>{customer.name2}</Text>}
              <AddressBlock address={billingAddress} />
              {deliveryAddress && deliveryAddress.id !== billingAddress?.id && (
                <>
                  <Title order={3} size="h5" mt="sm">
                    {t("file.deliveryAddress")}
                  </Title>
                  <AddressBlock address={deliveryAddress} />
                </>
              )}
              {channels.map((c) => (
                <Text key={c.id} size="sm">
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
              <Text size="sm" c="dimmed" mt="xs">
                {t("file.vatId")}: {customer.vatId ?? "–"}
              </Text>
              <Text size="sm" c="dimmed">
                {t("file.group")}: {customer.customerGroup ?? "–"}
              </Text>
              <Text size="sm" c="dimmed">
                {t("file.owner")}: {customer.owner ?? "–"}
              </Text>
              {bankAccounts && bankAccounts.length > 0 && (
                <Text size="sm" c="dimmed" aria-label={t("file.bankAccounts")}>
                  {t("file.bankAccounts")}: {bankAccounts.map((b) => b.ibanDisplay).join(", ")}
                </Text>
              )}
            </Card>
            <WishesCard file={file.data} />
            {keyFigures && <KeyFiguresCard figures={keyFigures} />}
            <FollowUpsCard customerId={customer.id} contacts={contacts} canEdit={canEditFollowUps} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack>
            <ContactsCard customerId={customer.id} contacts={contacts} canEdit={canEditContacts} />
            <JournalPanel customerId={customer.id} contacts={contacts} canLog={canLog} />
          </Stack>
        </Grid.Col>
      </Grid>
      {!tabsShown ? (
        <Skeleton height={240} />
      ) : (
        <FileTabs
          customerId={customer.id}
          figures={keyFigures}
          can={{
            documents: canReadDocuments,
            finance: canReadFinance,
            tickets: canReadTickets,
            createTicket: canCreateTicket,
            updateTicket: canUpdateTicket,
            edit: canEdit,
            bank: canReadFinance,
            changes: canReadHistory,
            duplicates: canReadCustomers,
          }}
        />
      )}
    </Stack>
  );
}
