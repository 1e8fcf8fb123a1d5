// One reference's components and its four weights. Collapsible, so ten fit a side panel.
import { useState } from 'preact/hooks';
import { type ComponentName, componentNames, type ComponentWeights } from '../../../shared/style/components';
import type { Capture } from '../../lib/captures';
import { CompositionOverlay, GradingView, LightingView, Palette } from './ComponentViews';
import type { Measurement } from './measure';
import { weightText } from './words';

export const componentLabels: Record<ComponentName, string> = { composition: 'Composition', lighting: 'Lighting', palette: 'Palette', grading: 'Grading' };

interface Props {
  capture: Capture;
  /** Its place among the references that go (1-based), as the labels say it. */
  n: number;
  measurement: Measurement;
  weights: ComponentWeights;
  onWeight(name: ComponentName, value: number): void;
}

export function ComponentCard({ capture, n, measurement, weights, onWeight }: Props) {
  const [open, setOpen] = useState(true);
  const components = measurement.state === 'ready' ? measurement.measured.components : null;
  const body = `agentic-reference-${capture.image_id}`;
  return (
    <li class="agentic-ref" aria-label={`Reference ${n}`} data-testid="agentic-reference">
      <div class="agentic-head">
        <button type="button" class="link" aria-expanded={open} aria-controls={body} onClick={() => setOpen(!open)}>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> Reference {n}
        </button>
        {!open && components && <Palette palette={components.palette} label={`Palette of reference ${n}`} />}
        <span class="muted small">
          {measurement.state === 'measuring' ? 'Measuring…' : measurement.state === 'ready' ? `measured in ${Math.max(1, Math.round(measurement.measured.ms))} ms` : ''}
        </span>
      </div>
      {measurement.state === 'failed' && (
        <p class="error small" role="alert">
          {measurement.error}
        </p>
      )}
      {open && (
        <div id={body} class="agentic-body">
          <div class="agentic-measures">
            <CompositionOverlay capture={capture} composition={components?.composition ?? null} n={n} />
            {components && (
              <div class="agentic-facts">
                <Palette palette={components.palette} label={`Palette of reference ${n}`} />
                <LightingView lighting={components.lighting} />
                <GradingView grading={components.grading} />
              </div>
            )}
          </div>
          <div class="weights" role="group" aria-label={`Weights for reference ${n}`}>
            {componentNames.map((name) => {
              const value = weights[name] ?? 1;
              return (
                <div key={name} class={`weight${value === 0 ? ' off' : ''}`}>
                  <span aria-hidden="true">{componentLabels[name]}</span>
                  <input
                    type="range"
                    min={0}
                    max={1}
                    step={0.05}
                    value={value}
                    aria-label={`${componentLabels[name]} weight for reference ${n}`}
                    aria-valuetext={weightText(value)}
                    onInput={(e) => onWeight(name, Number(e.currentTarget.value))}
                  />
                  <output aria-hidden="true">{weightText(value)}</output>
                </div>
              );
            })}
          </div>
        </div>
      )}
    </li>
  );
}
