// What your verified Styles have earned: the total, a chart per day, each Style's share, and
// the latest licenses sold. Earnings are credited to your balance as credits for now.
import type { Earnings } from '../../../shared/api/styles';
import { credits } from '../../panel/format';
import { libraryApi, useLoaded } from '../library/api';
import { routeHash } from '../route';
import type { Go } from '../StudioPage';
import { dayLabel, everyDay } from './chart';
import { EarningsChart } from './EarningsChart';

/** How many of the latest licenses are listed. */
const RECENT = 10;

function EarningsReport({ earnings }: { earnings: Earnings }) {
  if (earnings.total === 0 && earnings.items.length === 0) {
    return <p class="card muted">No licenses sold yet. Once a verified public Style’s image is licensed, your share shows here.</p>;
  }
  const names = new Map(earnings.by_style.map((s) => [s.style_id, s.name]));
  const recent = [...earnings.items].sort((a, b) => b.created_at.localeCompare(a.created_at)).slice(0, RECENT);
  const days = everyDay(earnings.by_day);
  return (
    <>
      {days.length > 0 && (
        <section class="card" aria-labelledby="by-day-title">
          <h2 id="by-day-title">Per day</h2>
          <EarningsChart days={days} />
        </section>
      )}
      <section class="card" aria-labelledby="by-style-title">
        <h2 id="by-style-title">Per Style</h2>
        <table class="data-table">
          <caption class="visually-hidden">Earnings per Style</caption>
          <thead>
            <tr>
              <th scope="col">Style</th>
              <th scope="col" class="num">Licenses sold</th>
              <th scope="col" class="num">Earned</th>
            </tr>
          </thead>
          <tbody>
            {earnings.by_style.map((s) => (
              <tr key={s.style_id}>
                <th scope="row">
                  <a href={routeHash({ view: 'library', modelId: s.style_id })}>{s.name}</a>
                </th>
                <td class="num">{s.licenses.toLocaleString('en')}</td>
                <td class="num">{credits(s.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card" aria-labelledby="recent-title">
        <h2 id="recent-title">Latest licenses</h2>
        <ul class="earning-items">
          {recent.map((item) => (
            <li key={item.id} class="row spread">
              <span>
                {names.get(item.style_id) ?? 'A Style'} <span class="muted small">· {dayLabel(item.created_at.slice(0, 10), true)}</span>
              </span>
              <strong>+{credits(item.amount)}</strong>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

export function EarningsView(_props: { go?: Go }) {
  const [earnings] = useLoaded(() => libraryApi.earnings(), 'earnings');
  return (
    <section class="earnings" aria-labelledby="earnings-title">
      <div class="row spread">
        <h1 id="earnings-title">Earnings</h1>
        {earnings.status === 'ready' && (
          <p class="earnings-total">
            <span class="muted small">Earned in all</span> <strong class="big">{credits(earnings.data.total)}</strong>
          </p>
        )}
      </div>
      <p class="muted small">Your share of each license sold on your verified Styles. For now earnings are credited to your balance as credits.</p>
      {earnings.status === 'loading' && <p class="muted">Loading your earnings…</p>}
      {earnings.status === 'failed' && (
        <p class="error" role="alert">
          Your earnings could not be loaded: {earnings.message}
        </p>
      )}
      {earnings.status === 'ready' && <EarningsReport earnings={earnings.data} />}
    </section>
  );
}
