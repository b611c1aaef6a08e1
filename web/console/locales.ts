import { addCatalogues } from "../shared/i18n";

// Every area's catalogue: the console shows them all.
addCatalogues(import.meta.glob<Record<string, unknown>>("../locales/*/*.json", { eager: true, import: "default" }));
