import "@mantine/core/styles.css";
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { createBrowserRouter, type LoaderFunctionArgs, Navigate, RouterProvider } from "react-router";
import { LoginPage } from "../features/auth/LoginPage";
import { sessionQuery } from "../features/auth/session";
import { customerFileQuery } from "../features/customers/api";
import { CustomerListPage } from "../features/customers/CustomerListPage";
import { customerFollowUpsQuery } from "../features/followups/api";
import { journalQuery, UNFILTERED } from "../features/journal/api";
import "../lib/i18n";
import { Shell } from "./Shell";
import { cssVariablesResolver, makeTheme } from "./theme";

// The first page (login or list) ships without the customer file and the follow-ups page; their
// code is fetched when the browser is idle after the first page, or when the route is entered.
const loadFile = () => import("../features/customers/CustomerFilePage");
const loadFollowUps = () => import("../features/followups/FollowUpsPage");
if (typeof window !== "undefined") {
  const warm = () => void Promise.all([loadFile(), loadFollowUps()]);
  if ("requestIdleCallback" in window) window.requestIdleCallback(warm, { timeout: 2000 });
  else setTimeout(warm, 500);
}

// Data a screen needs only as long as nobody changed it: a part mounted a moment after another
// asked for the same data does not ask again (changes invalidate what they touch).
const queryClient = new QueryClient({
  defaultOptions: { queries: { refetchOnWindowFocus: false, staleTime: 5_000 } },
});

// Who is logged in is the first thing every page needs: asked for before the router starts.
void queryClient.prefetchQuery(sessionQuery());

/**
 * Opening a customer file asks for its data at once — in parallel with the session check and the
 * page's code, not after them. Route `lazy` (not React.lazy + Suspense) because a Suspense
 * fallback holds the page back for React's 300 ms reveal throttle.
 */
function prefetchFile({ params }: LoaderFunctionArgs) {
  const id = Number(params.id);
  if (Number.isInteger(id) && id > 0) {
    void queryClient.prefetchQuery(customerFileQuery(id));
    void queryClient.prefetchInfiniteQuery(journalQuery(id, UNFILTERED));
    void queryClient.prefetchQuery(customerFollowUpsQuery(id));
  }
  return null;
}

const router = createBrowserRouter([
  { path: "/login", element: <LoginPage /> },
  {
    element: <Shell />,
    children: [
      { path: "/", element: <Navigate to="/customers" replace /> },
      { path: "/customers", element: <CustomerListPage /> },
      {
        path: "/customers/:id",
        loader: prefetchFile,
        // A tab or a filter in the URL is the same file: no new prefetch for it.
        shouldRevalidate: ({ currentParams, nextParams }) => currentParams.id !== nextParams.id,
        lazy: async () => ({ Component: (await loadFile()).CustomerFilePage }),
      },
      { path: "/follow-ups", lazy: async () => ({ Component: (await loadFollowUps()).FollowUpsPage }) },
      {
        path: "/account",
        lazy: async () => ({ Component: (await import("../features/auth/AccountPage")).AccountPage }),
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
