// How old a list is that the agent answered from disk because the server was
// unreachable (`issues/fetch` → `stale: true, fetchedAt`). Pure, so unit-tested.

/** "just now", "1 min ago", "12 min ago", "3 h ago", "2 days ago". */
export function ageText(fetchedAt: string, now: Date): string | undefined {
  const then = Date.parse(fetchedAt);
  if (Number.isNaN(then)) return undefined;
  const minutes = Math.floor(Math.max(0, now.getTime() - then) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? "" : "s"} ago`;
}

export interface FetchFreshness {
  stale?: boolean;
  fetchedAt?: string;
  /** The agent's words for why the server could not be reached. */
  staleReason?: string;
}

/** The instance row's note for a stale list: "offline · fetched 12 min ago"; nothing for a fresh one. */
export function staleNote(result: FetchFreshness, now: Date): string | undefined {
  if (!result.stale) return undefined;
  const age = result.fetchedAt ? ageText(result.fetchedAt, now) : undefined;
  return age ? `offline · fetched ${age}` : "offline";
}

/** The tooltip's longer words, with the exact time. */
export function staleTooltip(result: FetchFreshness): string | undefined {
  if (!result.stale) return undefined;
  const when = result.fetchedAt && !Number.isNaN(Date.parse(result.fetchedAt))
    ? ` It was fetched at ${new Date(result.fetchedAt).toLocaleString()}.`
    : "";
  const why = result.staleReason ? ` ${result.staleReason}` : "";
  return `The server could not be reached: this is the last list the agent kept.${when}${why} Refresh to try again.`;
}
