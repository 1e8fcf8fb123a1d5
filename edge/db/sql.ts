// Small pieces of SQL text that several queries need.

/** `?2, ?3, …` for an IN list whose first value is parameter `first`. */
export function numberedPlaceholders(count: number, first: number): string {
  return Array.from({ length: count }, (_, i) => `?${first + i}`).join(', ');
}
