// The connection use cases the API calls, one file each; the partner read model is re-exported here too, so
// the API has one import for the partner routes.

export { getPartnerOverview, type PartnerOverview, updatePartnerSettings } from '../partner-view';
export { requirePartner } from '../partners';
export { type DisconnectResult, disconnect } from './disconnect';
export { listMappings, type MappingSyncResult, syncMappings } from './mappings';
export { type SaveConnectionInput, saveConnection } from './save';
export { type ConnectionTestResult, connectionFailureOf, testConnection } from './test';
