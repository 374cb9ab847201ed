import "@mantine/core/styles.css";
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { createBrowserRouter, Navigate, RouterProvider } from "react-router";
import { LoginPage } from "../features/auth/LoginPage";
import { CustomerFilePage } from "../features/customers/CustomerFilePage";
import { CustomerListPage } from "../features/customers/CustomerListPage";
import { FollowUpsPage } from "../features/followups/FollowUpsPage";
import "../lib/i18n";
import { Shell } from "./Shell";
import { cssVariablesResolver, makeTheme } from "./theme";

const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } });

const router = createBrowserRouter([
  { path: "/login", element: <LoginPage /> },
  {
    element: <Shell />,
    children: [
      { path: "/", element: <Navigate to="/customers" replace /> },
      { path: "/customers", element: <CustomerListPage /> },
      { path: "/customers/:id", element: <CustomerFilePage /> },
      { path: "/follow-ups", element: <FollowUpsPage /> },
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
