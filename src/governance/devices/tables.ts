/** Storage shape of the device and channel register (migration 0033). Dates are YYYY-MM-DD, instants ISO. */

export interface DbDevice {
  id: string;
  /** laptop | phone | tablet | removable_media | email | cloud_drive | messaging | video_conferencing */
  kind: string;
  /** An asset tag or the service's name ("LT-0042", "企业微信"): not personal data. */
  label: string;
  owner_id: string;
  /** full | partial | none | not_applicable */
  encryption: string;
  remote_wipe: number;
  check_interval_days: number;
  last_checked_on: string | null;
  /** active | lost | retired */
  status: string;
  lost_on: string | null;
  /** What the owner said about the loss: sealed (it may name people and places). */
  lost_note_ct: string | null;
  /** The Custodia incident a loss opened (src/response/incidents/), by id only. */
  incident_id: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface DeviceTables {
  devices: DbDevice;
}
