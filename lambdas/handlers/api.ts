// The API Lambda entry point: the API handler over the production dependencies (wired once per process).
import { productionApiDeps } from '../shared/deps';
import { createApiHandler } from './api/app';

export { createApiHandler };
export const handler = createApiHandler(productionApiDeps);
