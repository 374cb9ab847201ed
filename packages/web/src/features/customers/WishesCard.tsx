import type { CustomerFile } from "@kundenakte/contract";
import { Badge, Card, Group, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";

/**
 * Preferences and special wishes where they matter in the info panel: "keine Werbung",
 * delivery days and times ("nur vormittags liefern"), invoice delivery, shipping instructions
 * and service requirements. Shows nothing when there is nothing special.
 */
export function WishesCard({ file }: { file: CustomerFile }) {
  const { t } = useTranslation();
  const p = file.preferences;
  const objection = file.advertisingObjection;
  const items: { key: string; label: string; text?: string }[] = [];
  if (objection?.customer) items.push({ key: "objection", label: t("wishes.noAdvertising") });
  if (p) {
    if (p.deliveryDays.length > 0 && p.deliveryDays.length < 6) {
      items.push({
        key: "days",
        label: t("wishes.deliveryDays"),
        text: p.deliveryDays.map((d) => t(`wishes.day.${d}`)).join(", "),
      });
    }
    for (const w of p.deliveryWindows) {
      const morning = w.to <= "12:00";
      items.push({
        key: `w${w.from}`,
        label: morning ? t("wishes.mornings") : t("wishes.deliveryWindow"),
        text: `${w.from}–${w.to}`,
      });
    }
    if (p.invoiceDelivery !== "paper") {
      items.push({
        key: "invoice",
        label: t(`wishes.invoice.${p.invoiceDelivery}`),
        text: [p.invoiceEmail, p.leitwegId].filter(Boolean).join(" · "),
      });
    }
    if (p.preferredChannel)
      items.push({ key: "channel", label: t("wishes.channel"), text: t(`wishes.channels.${p.preferredChannel}`) });
    if (p.shippingInstructions) items.push({ key: "ship", label: t("wishes.shipping"), text: p.shippingInstructions });
    p.serviceRequirements.forEach((r, i) => {
      items.push({ key: `s${i}`, label: t(`wishes.service.${r.category}`), text: r.text });
    });
  }
  if (items.length === 0) return null;
  return (
    <Card withBorder component="section" aria-label={t("wishes.title")}>
      <Title order={2} size="h4" mb="xs">
        {t("wishes.title")}
      </Title>
      <Stack gap={4}>
        {items.map((i) => (
          <Group key={i.key} gap="xs" wrap="nowrap" align="flex-start">
            <Badge color={i.key === "objection" ? "red" : "grape"} variant="light" style={{ flexShrink: 0 }}>
              {i.label}
            </Badge>
            {i.text && <Text size="sm">{i.text}</Text>}
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
