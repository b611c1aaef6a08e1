import { Spin } from "antd";
import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiError, onSessionLost, setPurpose } from "../shared/api";
import { SessionContext, type Me } from "./session";
import { SignIn } from "./SignIn";

// The signed-in console (every screen) loads after sign-in, so the first page stays small.
const Shell = lazy(() => import("./Shell"));

type State = { kind: "loading" } | { kind: "signed-out"; reason?: string } | { kind: "signing-in"; me: Me } | { kind: "signed-in"; me: Me };

export function App() {
  const { t } = useTranslation();
  const [state, setState] = useState<State>({ kind: "loading" });

  const refresh = useCallback(async () => {
    try {
      const me = await api.get<Me>("/auth/me");
      setState(me.session && me.session.kind !== "full" ? { kind: "signing-in", me } : { kind: "signed-in", me });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setState({ kind: "signed-out" });
      else setState({ kind: "signed-out", reason: "unavailable" });
    }
  }, []);

  useEffect(() => {
    void refresh();
    // A session that ends (idle or absolute timeout, signed out elsewhere) returns to sign-in; the route is kept.
    return onSessionLost(() => setState({ kind: "signed-out", reason: "expired" }));
  }, [refresh]);

  const signOut = useCallback(async (everywhere: boolean) => {
    await api.post(everywhere ? "/auth/logout-all" : "/auth/logout").catch(() => undefined);
    setPurpose(null);
    setState({ kind: "signed-out", reason: everywhere ? "signed-out-everywhere" : "signed-out" });
  }, []);

  if (state.kind === "loading") return <Spin fullscreen />;
  if (state.kind !== "signed-in") {
    return (
      <SignIn
        step={state.kind === "signing-in" ? (state.me.session?.kind ?? null) : null}
        reason={state.kind === "signed-out" ? state.reason : undefined}
        onDone={refresh}
      />
    );
  }
  return (
    <SessionContext.Provider value={{ me: state.me, signOut }}>
      <Suspense fallback={<Spin fullscreen />}>
        <Shell me={state.me} signOut={signOut} title={t("shell.product")} />
      </Suspense>
    </SessionContext.Provider>
  );
}
