import type { KeyFigures } from "@kundenakte/contract";
import { Card, Tabs } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { AddressesPanel } from "../addresses/AddressesPanel";
import { ChangeHistoryPanel } from "../changes/ChangeHistoryPanel";
import { DuplicatesPanel } from "../duplicates/DuplicatesPanel";
import { CreditPanel } from "../finance/CreditPanel";
import { DocumentsPanel, OpenItemsPanel, PurchaseHistoryPanel } from "../finance/FinancePanels";
import { TicketsCard } from "../tickets/TicketsCard";

export type FileTab =
  | "documents"
  | "purchases"
  | "open-items"
  | "credit"
  | "addresses"
  | "tickets"
  | "changes"
  | "duplicates";

export interface FileTabsAccess {
  documents: boolean;
  finance: boolean;
  tickets: boolean;
  createTicket: boolean;
  updateTicket: boolean;
  edit: boolean;
  bank: boolean;
  changes: boolean;
  duplicates: boolean;
}

/**
 * Below the three parts: the rest of the file in tabs. The open tab is in the URL (`?tab=credit`),
 * so a view can be shared; only the open tab is mounted and loads its data.
 */
export function FileTabs({
  customerId,
  figures,
  can,
}: {
  customerId: number;
  figures: KeyFigures | undefined;
  can: FileTabsAccess;
}) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const currency = figures?.currency ?? "EUR";
  const finance = can.finance && figures?.openItemsCents !== undefined;
  const shown: FileTab[] = [
    ...(can.documents ? (["documents", "purchases"] as const) : []),
    ...(finance ? (["open-items", "credit"] as const) : []),
    "addresses",
    ...(can.tickets ? (["tickets"] as const) : []),
    ...(can.changes ? (["changes"] as const) : []),
    ...(can.duplicates ? (["duplicates"] as const) : []),
  ];
  const asked = params.get("tab") as FileTab | null;
  const tab = asked && shown.includes(asked) ? asked : shown[0];

  function select(value: string | null) {
    if (!value) return;
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value === shown[0]) next.delete("tab");
        else next.set("tab", value);
        return next;
      },
      { replace: true },
    );
  }

  return (
    <Card withBorder component="section" aria-label={t("tabs.section")}>
      <Tabs value={tab} onChange={select} keepMounted={false}>
        <Tabs.List aria-label={t("tabs.section")} mb="sm">
          {shown.map((value) => (
            <Tabs.Tab key={value} value={value}>
              {t(`tabs.${value}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="documents">
          <DocumentsPanel customerId={customerId} />
        </Tabs.Panel>
        <Tabs.Panel value="purchases">
          <PurchaseHistoryPanel customerId={customerId} currency={currency} />
        </Tabs.Panel>
        <Tabs.Panel value="open-items">
          <OpenItemsPanel customerId={customerId} currency={currency} />
        </Tabs.Panel>
        <Tabs.Panel value="credit">
          <CreditPanel customerId={customerId} currency={currency} />
        </Tabs.Panel>
        <Tabs.Panel value="addresses">
          <AddressesPanel customerId={customerId} canEdit={can.edit} canSeeBank={can.bank} />
        </Tabs.Panel>
        <Tabs.Panel value="tickets">
          <TicketsCard customerId={customerId} canCreate={can.createTicket} canUpdate={can.updateTicket} />
        </Tabs.Panel>
        <Tabs.Panel value="changes">
          <ChangeHistoryPanel customerId={customerId} />
        </Tabs.Panel>
        <Tabs.Panel value="duplicates">
          {/* Keyed: after a merge into another customer, that file's panel starts afresh. */}
          <DuplicatesPanel key={customerId} customerId={customerId} />
        </Tabs.Panel>
      </Tabs>
    </Card>
  );
}
