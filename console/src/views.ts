// The reconciliation answers the statement and fleet pages read, typed from the API's own zod schemas (the
// reconciliation routes), so a changed field breaks the console's build. Types only.
import type * as z from 'zod';
import type * as S from '../../lambdas/handlers/api/schemas';

export type StatementView = z.output<typeof S.StatementView>;
export type StatementLineView = StatementView['lines'][number];
export type StatementServiceView = StatementView['services'][number];
export type FleetView = z.output<typeof S.FleetView>;
export type FleetPartnerView = FleetView['partners'][number];
