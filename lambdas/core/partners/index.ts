// A partner's rules and settings: its status rules, its close day and the PATCH of its settings.

export { closeDayOf, DEFAULT_CLOSE_DAY_SPREAD, defaultCloseDay } from './close-day';
export { updatePartnerSettings } from './settings';
export {
  authFailedChange,
  isSyncEnabled,
  knownPartner,
  markAuthFailed,
  notConnected,
  promoteOnAccepted,
  reportAuthFailed,
  requireConnected,
  requirePartner,
} from './status';
