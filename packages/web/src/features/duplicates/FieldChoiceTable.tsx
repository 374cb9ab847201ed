import { Radio, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

export interface ChoiceSide {
  id: number;
  /** The record as people name it (column heading). */
  title: string;
  /** Per field, its value as people read it. */
  values: Record<string, string>;
}

const shown = (v: string | undefined) => (v === undefined || v === "" ? "–" : v);

/**
 * Two records side by side, one row per field whose values differ: per row a radio picks the
 * record whose value is kept. Used by the customer and the contact merge alike.
 */
export function FieldChoiceTable({
  fields,
  sides,
  choice,
  onChoose,
}: {
  fields: { key: string; label: string }[];
  sides: [ChoiceSide, ChoiceSide];
  /** Per field, the id of the record whose value wins. */
  choice: Record<string, number>;
  onChoose: (field: string, id: number) => void;
}) {
  const { t } = useTranslation();
  if (fields.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t("merge.noDifferences")}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table aria-label={t("merge.fieldsTable")}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("merge.field")}</Table.Th>
            {sides.map((s) => (
              <Table.Th key={s.id}>{s.title}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {fields.map((f) => (
            <Table.Tr key={f.key}>
              <Table.Th scope="row" fw="normal">
                {f.label}
              </Table.Th>
              {sides.map((s) => (
                <Table.Td key={s.id}>
                  <Radio
                    name={`merge-${f.key}`}
                    value={String(s.id)}
                    checked={choice[f.key] === s.id}
                    onChange={() => onChoose(f.key, s.id)}
                    label={shown(s.values[f.key])}
                    aria-label={`${f.label}: ${shown(s.values[f.key])} (${s.title})`}
                    styles={{ label: { whiteSpace: "pre-line", overflowWrap: "anywhere" } }}
                  />
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The fields whose shown values differ between the two records. */
export function differingFields(fields: readonly string[], a: Record<string, string>, b: Record<string, string>) {
  return fields.filter((f) => (a[f] ?? "") !== (b[f] ?? ""));
}

/**
 * Whose value a field keeps when the user has not chosen: the survivor's, unless it is empty and
 * the other record has one — a merge with the defaults never empties a field.
 */
export function defaultWinner(field: string, survivor: ChoiceSide, other: ChoiceSide): number {
  return !survivor.values[field] && other.values[field] ? other.id : survivor.id;
}
