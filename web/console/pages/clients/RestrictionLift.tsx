import { UnlockOutlined } from "@ant-design/icons";
import { ReasonCodeAction } from "./ReasonCodeAction";

/** RestrictionLiftSchema.reason and .reference (POST /clients/{id}/restriction/lift). */
const LIFT_REASONS = ["client_request", "accuracy_verified", "objection_resolved", "ground_ended"] as const;
const LIFT_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;

/**
 * Ending a restriction of processing (PIPL Art. 47): a reason code and optionally a reference. Shown
 * when the client's abilities say the caller may (liftRestriction: compliance, and a restriction in force).
 */
export const RestrictionLift = ({ clientId, onLifted }: { clientId: string; onLifted: () => void }) => (
  <ReasonCodeAction
    path={`/clients/${clientId}/restriction/lift`}
    texts="clients.restriction"
    reasons={LIFT_REASONS}
    referencePattern={LIFT_REFERENCE}
    icon={<UnlockOutlined />}
    onDone={onLifted}
  />
);
