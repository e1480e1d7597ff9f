// The zod schemas of the HTTP API (docs/architecture.md, "The HTTP API"). The same schemas validate requests and, through
// `apiSchemas`, become the components of the OpenAPI document: the contract is written once.
// Response bodies are named `…View` (`RunView`, `PartnerView`, …) so they never shadow the domain's types
// (`Run`, `Partner`, … in core/model/); their component ids stay the short names (`Run`, `Partner`, …).
export * from './alerts';
export * from './common';
export * from './readback';
export * from './reconciliation';
export * from './requests';
export * from './responses';
