// The API Lambda entry point: the API handler over the production process (wired once).
import { productionApi } from '../wiring';
import { createApiHandler } from './api/app';

export { createApiHandler };
export const handler = createApiHandler(productionApi);
