// Earnings per day as bars: an SVG a screen reader hears as one sentence (its aria-label), each
// bar named on hover (<title>), and the same numbers in a table only screen readers see.
import { credits } from '../../panel/format';
import { chartSummary, type Day, dayLabel, niceTop } from './chart';

const W = 720;
const H = 240;
const M = { top: 16, right: 12, bottom: 40, left: 56 };

export function EarningsChart({ days }: { days: Day[] }) {
  const top = niceTop(Math.max(...days.map((d) => d.amount)));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const slot = plotW / days.length;
  const barW = Math.max(1, Math.min(40, slot * 0.7));
  const y = (amount: number) => M.top + plotH - (amount / top) * plotH;
  // First, middle and last days are labelled; every one when there are few.
  const labelled = new Set(days.length <= 8 ? days.map((_, i) => i) : [0, Math.floor((days.length - 1) / 2), days.length - 1]);

  return (
    <figure class="earnings-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={chartSummary(days)} preserveAspectRatio="xMidYMid meet">
        {[0, top / 2, top].map((tick) => (
          <g key={tick} class="tick">
            <line x1={M.left} x2={W - M.right} y1={y(tick)} y2={y(tick)} />
            <text x={M.left - 8} y={y(tick)} text-anchor="end" dominant-baseline="middle">
              {tick.toLocaleString('en')}
            </text>
          </g>
        ))}
        {days.map((d, i) => (
          <rect key={d.date} class="bar" x={M.left + slot * i + (slot - barW) / 2} y={y(d.amount)} width={barW} height={M.top + plotH - y(d.amount)}>
            <title>{`${dayLabel(d.date, true)}: ${credits(d.amount)}`}</title>
          </rect>
        ))}
        {days.map((d, i) =>
          labelled.has(i) ? (
            <text key={d.date} class="axis-label" x={M.left + slot * i + slot / 2} y={H - M.bottom + 16} text-anchor="middle">
              {dayLabel(d.date)}
            </text>
          ) : null,
        )}
        <text class="axis-title" x={M.left + plotW / 2} y={H - 6} text-anchor="middle">
          Day
        </text>
        <text class="axis-title" x={14} y={M.top + plotH / 2} text-anchor="middle" transform={`rotate(-90 14 ${M.top + plotH / 2})`}>
          Credits
        </text>
      </svg>
      <table class="visually-hidden">
        <caption>Earnings per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Earned</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.date}>
              <th scope="row">{dayLabel(d.date, true)}</th>
              <td>{credits(d.amount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
