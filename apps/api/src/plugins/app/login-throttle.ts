/**
 * Failed-login counting per account and per client address, in memory (one process serves the
 * studio). Checked before any password work, so a flood of guesses costs the server nothing.
 */
export interface ThrottleLimits {
  accountFailures: number;
  ipFailures: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { accountFailures: 5, ipFailures: 20, windowMs: 15 * 60_000 };
const MAX_KEYS = 100_000;

/** IPv6 clients usually hold a whole /64: count them by it, not by one address. */
export function clientKey(ip: string): string {
  if (!ip.includes(':') || ip.startsWith('::ffff:')) return ip;
  return `${ip.split(':').slice(0, 4).join(':')}::/64`;
}

export class LoginThrottle {
  private readonly accounts = new Map<string, number[]>();
  private readonly ips = new Map<string, number[]>();

  constructor(private readonly limits: ThrottleLimits = DEFAULT_THROTTLE) {}

  /** Seconds to wait, or null when an attempt is allowed now. */
  retryAfter(username: string, ip: string, now = Date.now()): number | null {
    const waits = [
      this.wait(this.accounts, username, this.limits.accountFailures, now),
      this.wait(this.ips, ip, this.limits.ipFailures, now),
    ].filter((w): w is number => w !== null);
    return waits.length === 0 ? null : Math.max(...waits);
  }

  /**
   * Counts an attempt as failed before the (slow) password check runs, so a burst of parallel
   * guesses cannot all pass `retryAfter` first; `succeeded` takes it back.
   */
  begin(username: string, ip: string, now = Date.now()): { succeeded(): void } {
    this.push(this.accounts, username, now);
    this.push(this.ips, ip, now);
    return {
      succeeded: () => {
        this.accounts.delete(username);
        const list = this.ips.get(ip);
        const at = list?.lastIndexOf(now) ?? -1;
        if (list && at >= 0) list.splice(at, 1);
      },
    };
  }

  private wait(map: Map<string, number[]>, key: string, limit: number, now: number): number | null {
    const recent = this.recent(map, key, now);
    if (recent.length < limit) return null;
    const oldest = recent[recent.length - limit] ?? now;
    return Math.max(1, Math.ceil((oldest + this.limits.windowMs - now) / 1000));
  }

  private recent(map: Map<string, number[]>, key: string, now: number): number[] {
    const list = map.get(key);
    if (!list) return [];
    const cutoff = now - this.limits.windowMs;
    const kept = list.filter((t) => t > cutoff);
    if (kept.length === 0) map.delete(key);
    else if (kept.length !== list.length) map.set(key, kept);
    return kept;
  }

  private push(map: Map<string, number[]>, key: string, now: number): void {
    const list = this.recent(map, key, now);
    list.push(now);
    map.set(key, list);
    if (map.size > MAX_KEYS) {
      // Drop the oldest keys (insertion order) rather than grow without bound under a spray attack.
      const excess = map.size - MAX_KEYS;
      let i = 0;
      for (const k of map.keys()) {
        if (i++ >= excess) break;
        map.delete(k);
      }
    }
  }
}
