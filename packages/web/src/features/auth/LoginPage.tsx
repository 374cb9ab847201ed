import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useNavigate } from "react-router";
import { ProblemError } from "../../lib/api";
import { login, sessionKey } from "./session";

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

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!email || !password) return;
    setBusy(true);
    setError(null);
    try {
      const session = await login(email, password);
      qc.setQueryData(sessionKey, session);
      const from = (location.state as { from?: string } | null)?.from ?? "/customers";
      navigate(from, { replace: true });
    } catch (err) {
      // The server's message says what went wrong (wrong password, locked for N minutes...).
      setError(err instanceof ProblemError ? err.problem.detail : String(err));
    } finally {
      setBusy(false);
    }
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
