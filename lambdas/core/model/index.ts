// The domain vocabulary shared by core, adapters and handlers (docs/architecture.md, "Layers"). Plain data only: every
// vocabulary is a const array here, and the types, the zod schemas (stored items, queue messages, the API) and
// the OpenAPI document are built from it.
export * from './alerts';
export * from './entities';
export * from './events';
export * from './lines';
export * from './rules';
export * from './runs';
export * from './statements';
