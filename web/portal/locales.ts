import { addCatalogues } from "../shared/i18n";

// Only the areas the client portal and the partner questionnaire show: the console's catalogues stay out of the portal's bundle.
addCatalogues(
  import.meta.glob<Record<string, unknown>>("../locales/*/{common,portal,partners,files,privacyTeam,pickers,roles,codes}.json", {
    eager: true,
    import: "default",
  }),
);
