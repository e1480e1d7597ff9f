// The connection use cases the console's buttons call, one file each.

export { type DisconnectResult, disconnect } from './disconnect';
export { listMappings, type MappingSyncResult, syncMappings } from './mappings';
export { type SaveConnectionInput, saveConnection } from './save';
export { type ConnectionTestResult, connectionFailureOf, testConnection } from './test';
