import { AppShell, Button, Group, NavLink, SegmentedControl, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Navigate, Outlet, NavLink as RouterLink, useLocation } from "react-router";
import { useLogout, useSession } from "../features/auth/session";
import { QuickSearch } from "../features/search/QuickSearch";
import { setLanguage } from "../lib/i18n";

/** The frame around every page for logged-in users; sends everyone else to the login. */
export function Shell() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const logout = useLogout();
  const location = useLocation();
  if (session.isPending) return null;
  if (!session.data) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: "sm" }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Title order={2} size="h4">
              {t("app.title")}
            </Title>
            <QuickSearch />
          </Group>
          <Group>
            <SegmentedControl
              size="xs"
              aria-label={t("app.language")}
              value={i18n.language}
              onChange={(v) => setLanguage(v as "de" | "en")}
              data={[
                { value: "de", label: "DE" },
                { value: "en", label: "EN" },
              ]}
            />
            <Text size="sm">{session.data.user.name}</Text>
            <Button variant="subtle" size="xs" onClick={logout}>
              {t("app.logout")}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Navigation">
        <NavLink component={RouterLink} to="/customers" label={t("app.customers")} />
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
