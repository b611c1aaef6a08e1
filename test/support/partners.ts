/** Due-diligence answers that score a partner low risk (the default questionnaire, src/governance/partners/questionnaire.ts). */
export const GOOD_ANSWERS = {
  security_measures: "yes",
  mlps_level: "level_3",
  iso27001: "yes",
  breach_history: "none",
  sub_processors: "none",
  data_location: "mainland_china",
  encryption_at_rest: "yes",
  encryption_in_transit: "yes",
  access_control: "yes",
  incident_notification: "within_24h",
  deletion_at_end: "yes",
};

/** A calendar day (UTC) this many days from now, as the partner register's dates are written. */
export const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
