import "@mantine/core/styles.css";
import { MantineProvider, Skeleton, Stack } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, Suspense, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { createBrowserRouter, Navigate, RouterProvider } from "react-router";
import { LoginPage } from "../features/auth/LoginPage";
import { CustomerListPage } from "../features/customers/CustomerListPage";
import "../lib/i18n";
import { Shell } from "./Shell";
import { cssVariablesResolver, makeTheme } from "./theme";

// The first page (login or list) ships without the customer file and the follow-ups page; their
// code is fetched right after the first page is up, so opening a file does not wait for it.
const loadFile = () => import("../features/customers/CustomerFilePage");
const loadFollowUps = () => import("../features/followups/FollowUpsPage");
const CustomerFilePage = lazy(() => loadFile().then((m) => ({ default: m.CustomerFilePage })));
const FollowUpsPage = lazy(() => loadFollowUps().then((m) => ({ default: m.FollowUpsPage })));
if (typeof window !== "undefined") {
  const warm = () => void Promise.all([loadFile(), loadFollowUps()]);
  if ("requestIdleCallback" in window) window.requestIdleCallback(warm, { timeout: 2000 });
  else setTimeout(warm, 500);
}

function PageSkeleton() {
  return (
    <Stack aria-busy="true">
      <Skeleton height={32} width="40%" />
      <Skeleton height={420} />
    </Stack>
  );
}

const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } });

const router = createBrowserRouter([
  { path: "/login", element: <LoginPage /> },
  {
    element: <Shell />,
    children: [
      { path: "/", element: <Navigate to="/customers" replace /> },
      { path: "/customers", element: <CustomerListPage /> },
      {
        path: "/customers/:id",
        element: (
          <Suspense fallback={<PageSkeleton />}>
            <CustomerFilePage />
          </Suspense>
        ),
      },
      {
        path: "/follow-ups",
        element: (
          <Suspense fallback={<PageSkeleton />}>
            <FollowUpsPage />
          </Suspense>
        ),
      },
    ],
  },
]);

export function App() {
  const { t, i18n } = useTranslation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the label changes with the language
  const theme = useMemo(() => makeTheme(t("app.close")), [i18n.language]);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
