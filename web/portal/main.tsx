import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Root } from "../shared/Root";
import { PortalApp } from "./PortalApp";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Root>
      <PortalApp />
    </Root>
  </StrictMode>,
);
