import "@mantine/core/styles.css";
import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createBrowserRouter, Navigate, RouterProvider } from "react-router";
import { LoginPage } from "../features/auth/LoginPage";
import { CustomerFilePage } from "../features/customers/CustomerFilePage";
import { CustomerListPage } from "../features/customers/CustomerListPage";
import { FollowUpsPage } from "../features/followups/FollowUpsPage";
import "../lib/i18n";
import { Shell } from "./Shell";

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
  return (
    <MantineProvider>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}
