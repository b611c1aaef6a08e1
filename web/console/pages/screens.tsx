/**
 * Registers every console screen, in menu order. One line per screen: screens live in their own
 * files under pages/<area>/ and are independent of each other.
 */
import { SCREENS } from "./registry";
import { accountScreen } from "./account/AccountScreen";
import { adminScreen } from "./admin/AdminScreen";
import { auditScreen } from "./audit/AuditScreen";
import { dashboardScreen } from "./dashboard/DashboardScreen";
import { kpisScreen } from "./kpis/KpisScreen";
import { inventoryScreen } from "./inventory/InventoryScreen";
import { clientsScreen } from "./clients/ClientsScreen";
import { conflictsScreen } from "./conflicts/ConflictsScreen";
import { mattersScreen } from "./matters/MattersScreen";
import { wallsScreen } from "./walls/WallsScreen";
import { approvalsScreen } from "./approvals/ApprovalsScreen";
import { breakGlassScreen } from "./break-glass/BreakGlassScreen";
import { requestsScreen } from "./programme/RequestsScreen";
import { noticesScreen } from "./programme/NoticesScreen";
import { retentionScreen } from "./programme/RetentionScreen";
import { incidentsScreen } from "./programme/IncidentsScreen";
import { accessReviewsScreen } from "./access-reviews/AccessReviewsScreen";
import { reportScreen } from "./reports/ReportScreen";
import { complaintsScreen } from "./complaints/ComplaintsScreen";
import { accountabilityScreen } from "./accountability/AccountabilityScreen";
import { traceScreen } from "./files/TraceScreen";
import { profilesScreen } from "./profiles/ProfilesScreen";
import { partnersScreen } from "./partners/PartnersScreen";
import { paperScreen } from "./paper/PaperScreen";
import { devicesScreen } from "./devices/DevicesScreen";
import { privacyTeamScreen } from "./privacy-team/PrivacyTeamScreen";
import { disclosuresScreen } from "./disclosures/DisclosuresScreen";
import { jobsScreen } from "./jobs/JobsScreen";
import { assessmentsScreen } from "./assessments/AssessmentsScreen";
import { trainingScreen } from "./training/TrainingScreen";

SCREENS.push(
  accountScreen,
  dashboardScreen,
  kpisScreen,
  auditScreen,
  inventoryScreen,
  adminScreen,
  clientsScreen,
  conflictsScreen,
  mattersScreen,
  wallsScreen,
  approvalsScreen,
  breakGlassScreen,
  requestsScreen,
  noticesScreen,
  retentionScreen,
  incidentsScreen,
  accessReviewsScreen,
  reportScreen,
  complaintsScreen,
  accountabilityScreen,
  traceScreen,
  profilesScreen,
  partnersScreen,
  paperScreen,
  devicesScreen,
  privacyTeamScreen,
  disclosuresScreen,
  jobsScreen,
  assessmentsScreen,
  trainingScreen,
);
