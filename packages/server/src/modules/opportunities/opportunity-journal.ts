// The journal is read by German users: its texts are German, like the other modules' entries.

const euro = new Intl.NumberFormat("de-DE", { style: "currency", currency: "EUR" });
const dateFormat = new Intl.DateTimeFormat("de-DE", {
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  timeZone: "UTC",
});

/** "12.345,00 €" with a plain space like the other journal texts (Intl puts a no-break space before €). */
export const money = (cents: number) => euro.format(cents / 100).replace(/\u00a0/g, " ");
/** "31.12.2026" from "2026-12-31" */
export const germanDate = (iso: string) => dateFormat.format(new Date(`${iso}T00:00:00Z`));

export const createdSubject = (title: string) => `Verkaufschance angelegt: ${title}`;

export const summary = (o: { stageName: string; probability: number; valueCents: number; expectedCloseDate: string }) =>
  `${o.stageName} (${o.probability} %) · ${money(o.valueCents)} · Abschluss erwartet ${germanDate(o.expectedCloseDate)}`;

export const stageSubject = (title: string, from: string, to: string) => `Verkaufschance „${title}“: ${from} → ${to}`;

export const STATUS_SUBJECT = {
  won: (title: string) => `Verkaufschance gewonnen: ${title}`,
  lost: (title: string) => `Verkaufschance verloren: ${title}`,
  open: (title: string) => `Verkaufschance wieder geöffnet: ${title}`,
} as const;

export const deletedSubject = (title: string) => `Verkaufschance gelöscht: ${title}`;
