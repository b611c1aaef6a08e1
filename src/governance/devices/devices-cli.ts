/**
 * `custodia devices list | add | check`: the device and channel register from the server's console,
 * for operators who import the firm's laptops and phones from an asset list or script the quarterly
 * checks. The console acts as compliance; its audit events name the console, not a person.
 */
import { type Command, Option } from "commander";
import { complianceContext, parseOptions, runCommand, vaultCommand, withServices } from "../../cli/command-runner.js";
import { DEVICE_KINDS, DEVICE_STATUSES, DeviceCheckInput, DeviceCreateInput, ENCRYPTION_STATES } from "./device-inputs.js";
import { listDevices, type PresentedDevice, recordDeviceCheck, registerDevice } from "./device-register.js";

const line = (d: PresentedDevice) =>
  `${d.id}  ${d.kind.padEnd(18)}  ${d.status.padEnd(7)}  enc ${d.encryption.padEnd(14)}  wipe ${d.remoteWipe ? "yes" : "no "}  ${
    d.lastCheckedOn ? `checked ${d.lastCheckedOn}` : "never checked"
  }${d.checkOverdue ? " OVERDUE" : ""}  ${d.label}  owner ${d.ownerId}`;

export function addDeviceCommands(program: Command): void {
  const devices = program.command("devices").description("the register of devices and channels that carry client data (CHN-1)");

  vaultCommand(devices.command("list"))
    .description("every device and channel, with encryption, remote wipe and check status")
    .option("--overdue", "only active devices whose check is due")
    .option("--owner <userId>", "only this staff member's")
    .addOption(new Option("--status <status>").choices([...DEVICE_STATUSES]))
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const { items } = await withServices(o.dataDir, (s) =>
          listDevices(s, complianceContext(), { overdue: Boolean(o.overdue), ownerId: o.owner, status: o.status }),
        );
        return { data: { items }, text: items.map(line).join("\n") || "No devices." };
      }),
    );

  vaultCommand(devices.command("add"))
    .description("register a device or channel")
    .addOption(new Option("--kind <kind>").choices([...DEVICE_KINDS]).makeOptionMandatory())
    .requiredOption("--label <label>", "asset tag or service name (not a person's name)")
    .requiredOption("--owner <userId>", "the staff member who holds it")
    .addOption(new Option("--encryption <state>").choices([...ENCRYPTION_STATES]).makeOptionMandatory())
    .option("--remote-wipe", "it can be locked and wiped remotely")
    .option("--interval <days>", "days between checks (default 90)")
    .option("--checked <date>", "last checked on (YYYY-MM-DD)")
    .action((o) =>
      runCommand(Boolean(o.json), async () => {
        const input = parseOptions(DeviceCreateInput, {
          kind: o.kind,
          label: o.label,
          ownerId: o.owner,
          encryption: o.encryption,
          remoteWipe: Boolean(o.remoteWipe),
          ...(o.interval ? { checkIntervalDays: Number(o.interval) } : {}),
          ...(o.checked ? { lastCheckedOn: o.checked } : {}),
        });
        const d = await withServices(o.dataDir, (s) => registerDevice(s, complianceContext(), input));
        return { data: d, text: `Registered.\n${line(d)}` };
      }),
    );

  vaultCommand(devices.command("check"))
    .description("record a check of a device's controls")
    .argument("<id>", "device id")
    .addOption(new Option("--encryption <state>").choices([...ENCRYPTION_STATES]).makeOptionMandatory())
    .option("--remote-wipe", "remote wipe is enrolled")
    .option("--on <date>", "checked on (YYYY-MM-DD, default today)")
    .action((id: string, o) =>
      runCommand(Boolean(o.json), async () => {
        const input = parseOptions(DeviceCheckInput, { encryption: o.encryption, remoteWipe: Boolean(o.remoteWipe), ...(o.on ? { checkedOn: o.on } : {}) });
        const d = await withServices(o.dataDir, (s) => recordDeviceCheck(s, complianceContext(), id, input));
        return { data: d, text: `Checked.\n${line(d)}` };
      }),
    );
}
