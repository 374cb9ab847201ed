import type { BlockType, CustomerStatus } from "@kundenakte/contract";
import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";

const STATUS_COLOR: Record<CustomerStatus, string> = { prospect: "blue", active: "green", inactive: "gray" };

/** The customer's status as a small badge (Interessent, Aktiv, Inaktiv). */
export function StatusBadge({ status }: { status: CustomerStatus }) {
  const { t } = useTranslation();
  return (
    <Badge size="sm" variant="light" color={STATUS_COLOR[status]}>
      {t(`badge.${status}`)}
    </Badge>
  );
}

/** A delivery, invoice or full block as a small badge; nothing for an unblocked customer. */
export function BlockBadge({ block }: { block: BlockType }) {
  const { t } = useTranslation();
  if (block === "none") return null;
  return (
    <Badge size="sm" variant={block === "all" ? "filled" : "light"} color={block === "all" ? "red" : "orange"}>
      {t(`badge.${block}_block`)}
    </Badge>
  );
}
