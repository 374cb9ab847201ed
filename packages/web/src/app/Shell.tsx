import { AppShell, Button, Group, SegmentedControl, Text, Title } from "@mantine/core";
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
  const at = (path: string) => location.pathname.startsWith(path);
  if (session.isPending) return null;
  if (!session.data) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return (
    // Navigation sits in the header: on a 1366 px laptop the customer file needs every column it can get.
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Title order={2} size="h4">
              {t("app.title")}
            </Title>
            <Group component="nav" aria-label={t("app.navigation")} gap={4}>
              <Button component={RouterLink} to="/customers" variant={at("/customers") ? "light" : "subtle"} size="xs">
                {t("app.customers")}
              </Button>
              {session.data.permissions.includes("follow_ups.read") && (
                <Button
                  component={RouterLink}
                  to="/follow-ups"
                  variant={at("/follow-ups") ? "light" : "subtle"}
                  size="xs"
                >
                  {t("followUps.nav")}
                </Button>
              )}
            </Group>
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
            <Button component={RouterLink} to="/account" variant={at("/account") ? "light" : "subtle"} size="xs">
              {t("account.nav")}
            </Button>
            <Button variant="subtle" size="xs" onClick={logout}>
              {t("app.logout")}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
