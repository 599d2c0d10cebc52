import type { Activity } from 'botbuilder';

export type TenantVerdict =
  | { ok: true; tenantId: string }
  | { ok: false; reason: 'malformed' | 'disagree' | 'notAllowed'; tenantId: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The tenant an activity comes from. Teams names it twice, in `conversation.tenantId` and in
 * `channelData.tenant.id`: each, if present, must be a string, and the two must agree (a tampered
 * activity that names an allowed tenant in one and another in the other is not served). With an
 * allow-list the tenant must be on it. `tenantId` is safe to log: a GUID or "(malformed)".
 */
export function tenantVerdict(activity: Partial<Activity>, allowedTenants?: string[]): TenantVerdict {
  const fromConversation: unknown = (activity.conversation as { tenantId?: unknown } | undefined)?.tenantId;
  const channelData: unknown = activity.channelData;
  const tenant: unknown = channelData && typeof channelData === 'object' ? (channelData as { tenant?: unknown }).tenant : undefined;
  const fromChannelData: unknown = tenant && typeof tenant === 'object' ? (tenant as { id?: unknown }).id : undefined;
  const present = [fromConversation, fromChannelData].filter((v) => v !== undefined);
  const loggable = (v: unknown) => (typeof v === 'string' && GUID.test(v.toLowerCase()) ? v.toLowerCase() : v === undefined ? '(none)' : '(malformed)');
  if ((tenant !== undefined && (tenant === null || typeof tenant !== 'object')) || present.some((v) => typeof v !== 'string')) {
    return { ok: false, reason: 'malformed', tenantId: '(malformed)' };
  }
  const ids = (present as string[]).map((v) => v.toLowerCase());
  if (ids.length === 2 && ids[0] !== ids[1]) return { ok: false, reason: 'disagree', tenantId: `${loggable(ids[0])}≠${loggable(ids[1])}` };
  const tenantId = ids[0] ?? '';
  if (allowedTenants && !allowedTenants.includes(tenantId)) return { ok: false, reason: 'notAllowed', tenantId: loggable(tenantId || undefined) };
  return { ok: true, tenantId };
}
