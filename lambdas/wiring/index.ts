// The composition root: each process's dependencies and settings from one parsed environment.

export { buildDeps, buildPlannerDeps } from './deps';
export {
  type ApiProcess,
  apiProcess,
  productionApi,
  productionPlannerDeps,
  productionWorker,
  type WorkerProcess,
  workerProcess,
} from './processes';
export { type ApiSettings, apiSettings, budgetSettings, type WorkerSettings, workerSettings } from './settings';
