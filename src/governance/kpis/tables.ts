/** Storage shapes of the KPI targets (migration 0034, GOV-6). Codes and numbers only. */

export interface DbKpiTarget {
  /** A KPI code (src/governance/kpis/kpi.ts). */
  code: string;
  /** The target as parts per million (1,000,000 = 100%; 5,000 = 0.5%). */
  target_ppm: number;
  updated_at: string;
  /** Null for the seeded default. */
  updated_by: string | null;
}

export interface KpiTables {
  kpi_targets: DbKpiTarget;
}
