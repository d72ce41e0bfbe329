import { karborTime } from '../../kernel/karbor-text';
import { SERVICE_DOWN_SECONDS, type Service } from './model';

export const serviceView = (s: Service, now: Date) => {
  const seen = s.updatedAt ?? s.createdAt;
  const up = seen !== null && Math.abs(now.getTime() - Date.parse(seen)) <= SERVICE_DOWN_SECONDS * 1000;
  return {
    id: s.id,
    binary: s.binary,
    host: s.host,
    status: s.disabled ? ('disabled' as const) : ('enabled' as const),
    state: up ? ('up' as const) : ('down' as const),
    updated_at: s.updatedAt === null ? null : karborTime(s.updatedAt),
    disabled_reason: s.disabledReason,
  };
};
