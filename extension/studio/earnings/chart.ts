// The earnings chart's numbers, without drawing: every day of the range (a day with no sale is a
// day of 0, so the time axis is honest), a round top for the scale, and the summary a screen
// reader hears.
import type { Earnings } from '../../../shared/api/styles';
import { credits } from '../../panel/format';

export type Day = { date: string; amount: number };

const DAY_MS = 86_400_000;
const dayOf = (date: string) => date.slice(0, 10);

/** The days from the first to the last with earnings, each once, in order; at most `limit` of the latest. */
export function everyDay(byDay: Earnings['by_day'], limit = 366): Day[] {
  const amounts = new Map<string, number>();
  for (const d of byDay) amounts.set(dayOf(d.date), (amounts.get(dayOf(d.date)) ?? 0) + d.amount);
  const known = [...amounts.keys()].sort();
  if (!known.length) return [];
  const last = Date.parse(`${known.at(-1)}T00:00:00Z`);
  const first = Math.max(Date.parse(`${known[0]}T00:00:00Z`), last - (limit - 1) * DAY_MS);
  const days: Day[] = [];
  for (let t = first; t <= last; t += DAY_MS) {
    const date = new Date(t).toISOString().slice(0, 10);
    days.push({ date, amount: amounts.get(date) ?? 0 });
  }
  return days;
}

/** The scale's top: the smallest 1, 2, 3, 4, 5, 6, 8 or 10 × 10ⁿ at or above the highest day (at least 1), so the bars fill the chart and its half-way line is round too. */
export function niceTop(highest: number): number {
  if (highest <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(highest));
  return [1, 2, 3, 4, 5, 6, 8, 10].map((m) => m * power).find((v) => v >= highest)!;
}

/** "Nov 12" (with the year when asked), read in UTC like the dates the API sends. */
export function dayLabel(date: string, withYear = false): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en', { month: 'short', day: 'numeric', ...(withYear ? { year: 'numeric' } : {}), timeZone: 'UTC' });
}

/** What the chart shows, in one sentence. */
export function chartSummary(days: Day[]): string {
  if (!days.length) return 'Earnings per day: none yet.';
  const total = days.reduce((sum, d) => sum + d.amount, 0);
  const best = days.reduce((top, d) => (d.amount > top.amount ? d : top), days[0]!);
  const range = days.length === 1 ? `on ${dayLabel(days[0]!.date, true)}` : `from ${dayLabel(days[0]!.date)} to ${dayLabel(days.at(-1)!.date, true)}`;
  return `Earnings per day ${range}: ${credits(total)} in all over ${days.length} day${days.length === 1 ? '' : 's'}; the best day, ${dayLabel(best.date)}, brought ${credits(best.amount)}.`;
}
