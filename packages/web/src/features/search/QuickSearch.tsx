import type { SearchMatch, SearchResponse, SearchResult } from "@kundenakte/contract";
import { Badge, Group, Kbd, Loader, Modal, Stack, Text, TextInput, UnstyledButton } from "@mantine/core";
import { useDebouncedValue, useHotkeys } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type KeyboardEvent, type ReactNode, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { api } from "../../lib/api";
import { useRecentCustomers } from "./recent";

/** Text with the ranges the server matched highlighted. */
export function Highlighted({ text, ranges }: { text: string; ranges: [number, number][] }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}

function useSearch(q: string) {
  return useQuery({
    queryKey: ["search", q],
    queryFn: () => api<SearchResponse>(`/search?${new URLSearchParams({ q, limit: "8" })}`),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/** Why a result matched, as one line: the field and the highlighted fragment (the name is shown anyway). */
function reason(r: SearchResult): SearchMatch | null {
  return r.matches.find((m) => m.field !== "name") ?? null;
}

/**
 * The global quick search (Ctrl+K or "/"): results as you type, arrows to move, Enter to
 * open the customer file. With nothing typed it lists the recently opened customers.
 */
export function QuickSearch() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const [q, setQ] = useState("");
  const [debounced] = useDebouncedValue(q, 40);
  const [active, setActive] = useState(0);
  const search = useSearch(debounced);
  const recent = useRecentCustomers();

  useHotkeys([
    ["mod+K", () => setOpened(true)],
    ["/", () => setOpened(true)],
  ]);

  const results: { id: number; name: string; line: ReactNode; badge?: string }[] = q.trim()
    ? (search.data?.results ?? []).map((r) => {
        const name = r.matches.find((m) => m.field === "name");
        const why = reason(r);
        return {
          id: r.customerId,
          name: r.name,
          badge: r.customerNumber,
          line: (
            <>
              {name ? <Highlighted text={r.name} ranges={name.highlights} /> : r.name}
              {why && (
                <Text component="span" size="xs" c="dimmed" ml="xs">
                  {t(`search.field.${why.field}`)}: <Highlighted text={why.value} ranges={why.highlights} />
                </Text>
              )}
              {r.city && (
                <Text component="span" size="xs" c="dimmed" ml="xs">
                  · {r.city}
                </Text>
              )}
            </>
          ),
        };
      })
    : recent.map((c) => ({ id: c.id, name: c.name, badge: c.number, line: c.name }));

  // A new result list starts at its first entry.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on purpose whenever the query changes
  useEffect(() => setActive(0), [debounced]);

  const open = (id: number) => {
    setOpened(false);
    setQ("");
    navigate(`/customers/${id}`);
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, results.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === "Enter" && results[active]) {
      e.preventDefault();
      open(results[active].id);
    }
  };

  const listId = "quick-search-results";
  return (
    <>
      <UnstyledButton
        onClick={() => setOpened(true)}
        // Named by what it shows ("Suchen… Ctrl K"), as speech input users say what they see.
        title={t("search.open")}
        data-testid="quick-search-button"
      >
        <Group gap={6} px="sm" py={4} style={{ border: "1px solid var(--mantine-color-gray-4)", borderRadius: 6 }}>
          <Text size="sm" c="dimmed">
            {t("search.placeholder")}
          </Text>
          <Kbd size="xs">Ctrl K</Kbd>
        </Group>
      </UnstyledButton>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t("search.title")} size="lg" yOffset="8vh">
        <TextInput
          data-autofocus
          // Reopened after a cancelled search: the old text is selected, so typing replaces it.
          onFocus={(e) => e.currentTarget.select()}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          onKeyDown={onKey}
          placeholder={t("search.hint")}
          aria-label={t("search.title")}
          role="combobox"
          aria-expanded={results.length > 0}
          aria-controls={listId}
          aria-activedescendant={results[active] ? `qs-${results[active].id}` : undefined}
          rightSection={search.isFetching ? <Loader size="xs" /> : null}
        />
        <Stack
          gap={2}
          mt="sm"
          id={listId}
          role="listbox"
          aria-label={t("search.results")}
          // Which query the shown results answer (empty while they are the previous query's):
          // lets the browser benchmark time a keystroke to its results.
          data-results-for={q.trim() && search.data && !search.isPlaceholderData ? debounced : ""}
        >
          {!q.trim() && recent.length > 0 && (
            <Text size="xs" c="dimmed" tt="uppercase">
              {t("search.recent")}
            </Text>
          )}
          {results.map((r, i) => (
            <UnstyledButton
              key={r.id}
              id={`qs-${r.id}`}
              role="option"
              aria-selected={i === active}
              onMouseEnter={() => setActive(i)}
              onClick={() => open(r.id)}
              p="xs"
              style={{ borderRadius: 4, background: i === active ? "var(--mantine-color-blue-light)" : undefined }}
            >
              <Group justify="space-between" wrap="nowrap">
                <Text size="sm" truncate>
                  {r.line}
                </Text>
                {r.badge && (
                  <Badge variant="light" color="gray" style={{ flexShrink: 0 }}>
                    {r.badge}
                  </Badge>
                )}
              </Group>
            </UnstyledButton>
          ))}
          {q.trim() && search.isSuccess && results.length === 0 && (
            <Text size="sm" c="dimmed" p="xs">
              {t("search.noResults", { q })}
            </Text>
          )}
          {search.isError && (
            <Text size="sm" c="red" p="xs">
              {t("search.failed")}
            </Text>
          )}
        </Stack>
      </Modal>
    </>
  );
}
