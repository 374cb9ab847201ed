import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useNavigate } from "react-router";
import { api, ProblemError } from "../../lib/api";
import { SetupForm } from "./SetupForm";
import { lockMinutes, login, sessionKey } from "./session";

/**
 * What a failed login tells the user, in their language: a wrong e-mail or password (the
 * server never says which, nor whether the account is deactivated), or a lock with its time.
 */
function loginError(err: unknown, t: TFunction): string {
  if (!(err instanceof ProblemError)) return t("login.unavailable");
  if (err.problem.code === "too_many_requests") {
    return t("login.locked", { count: lockMinutes(err) });
  }
  if (err.problem.code === "unauthenticated") return t("login.wrong");
  return t("login.unavailable");
}

export function LoginPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);

  const setup = useQuery({
    queryKey: ["setup"],
    queryFn: () => api<{ setupRequired: boolean }>("/auth/setup"),
  });

  async function signIn(loginEmail: string, loginPassword: string) {
    const session = await login(loginEmail, loginPassword);
    qc.setQueryData(sessionKey, session);
    const from = (location.state as { from?: string } | null)?.from ?? "/customers";
    navigate(from, { replace: true });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!email || !password) return;
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
    } catch (err) {
      setError(loginError(err, t));
    } finally {
      setBusy(false);
    }
  }

  if (setup.data?.setupRequired) {
    return (
      <Center mih="100vh" bg="gray.0">
        <Paper withBorder shadow="sm" p="xl" w={420}>
          <SetupForm onDone={(e, p) => void signIn(e, p)} />
        </Paper>
      </Center>
    );
  }

  return (
    <Center mih="100vh" bg="gray.0">
      <Paper component="form" onSubmit={submit} withBorder shadow="sm" p="xl" w={380} aria-labelledby="login-title">
        <Stack>
          <Title order={1} size="h2" id="login-title">
            {t("login.title")}
          </Title>
          {error && (
            <Alert color="red" title={t("login.failed")} role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            label={t("login.email")}
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={touched && !email ? t("login.required") : undefined}
            data-autofocus
            autoFocus
          />
          <PasswordInput
            label={t("login.password")}
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={touched && !password ? t("login.required") : undefined}
          />
          <Button type="submit" loading={busy}>
            {t("login.submit")}
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
