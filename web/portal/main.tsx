import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "./locales";
import { Root } from "../shared/Root";
import { PartnerQuestionnaire, questionnaireToken } from "./PartnerQuestionnaire";
import { PortalApp } from "./PortalApp";

// A partner's one-time questionnaire link (#/questionnaire/<token>) opens its own page; anything else is the client portal.
const partnerToken = questionnaireToken(window.location.hash);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Root>{partnerToken ? <PartnerQuestionnaire token={partnerToken} /> : <PortalApp />}</Root>
  </StrictMode>,
);
