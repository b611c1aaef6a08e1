export { ClientPicker, clientLabel } from "./ClientPicker";
export { MatterPicker, matterLabel } from "./MatterPicker";
export { StaffLookupPicker } from "./StaffPicker";
export { RecordChip } from "./RecordChip";
export { lookup, resolve, useLookup } from "./lookup";
export { RegisterLink, RegisterPicker } from "./RegisterPicker";
export { type Register, type RegisterKind, useRegister } from "./registers";
