import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "./locales";
import { Root } from "../shared/Root";
import { App } from "./App";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Root>
      <App />
    </Root>
  </StrictMode>,
);
