import { z } from 'zod';
import type { Plan } from '../domain/plan';
import type { PlanStore } from '../domain/ports';
import { odataString } from './tableErrors';
import type { TableStore } from './tables';
import { teamDocuments, type DocumentKind } from './teamDocuments';

const planSchema = z.looseObject({ id: z.string(), caseCode: z.string(), teamId: z.string(), status: z.string(), reviews: z.array(z.object({ date: z.string(), status: z.string() }).loose()) });

/** Plans beside their case (RowKey "p|<id>"), so a plan and its timeline event are one transaction. */
export const PLAN_DOCUMENTS: DocumentKind<Plan> = { prefix: 'p', type: 'plan', schema: planSchema, columns: (p) => ({ status: p.status }) };

export function tablePlanStore(store: TableStore): PlanStore {
  const docs = teamDocuments<Plan>(store, PLAN_DOCUMENTS);
  return {
    get: docs.get,
    listByCase: (teamId, caseCode) => docs.list(teamId, ` and caseCode eq ${odataString(caseCode)}`),
    listByTeam: (teamId) => docs.list(teamId),
  };
}
