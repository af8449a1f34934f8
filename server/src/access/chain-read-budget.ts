// Each read decided on chain costs a transaction, whether it is granted or refused, and a blacklisted
// requester's attempts still cost one each. A per-caller budget over a sliding window keeps a member
// from turning record reads into a flood of transactions; past it the API answers 429 without sending.

export class ChainReadBudget {
  private readonly recent = new Map<string, number[]>();

  /** `limit` reads per `windowMs` for each caller; a limit of 0 means no limit. */
  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Takes one read from `caller`'s budget; false (and nothing taken) when it is spent. */
  take(caller: string, now = Date.now()): boolean {
    if (this.limit === 0) return true;
    const since = now - this.windowMs;
    const times = (this.recent.get(caller) ?? []).filter((t) => t > since);
    if (times.length >= this.limit) {
      this.recent.set(caller, times);
      return false;
    }
    times.push(now);
    this.recent.set(caller, times);
    if (this.recent.size > 10_000) this.forgetIdle(since);
    return true;
  }

  /** Drops callers with nothing inside the window, so the map does not grow with every caller ever seen. */
  private forgetIdle(since: number): void {
    for (const [caller, times] of this.recent) if (!times.some((t) => t > since)) this.recent.delete(caller);
  }
}
