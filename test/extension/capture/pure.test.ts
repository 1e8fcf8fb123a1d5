// Screenshot crops and training-set warnings.
import { describe, expect, it } from 'vitest';
import { cropBox } from '../../../extension/capture/crop';
import type { TrainingItem } from '../../../extension/lib/captures';
import { trainingWarnings } from '../../../extension/panel/training/warnings';

describe('cropping a screenshot to an element', () => {
  it('scales CSS pixels by the device pixel ratio and stays inside the shot', () => {
    expect(cropBox({ x: 10, y: 20, width: 100, height: 50 }, 2, { width: 1000, height: 800 })).toEqual({ x: 20, y: 40, width: 200, height: 100 });
    expect(cropBox({ x: 450, y: 0, width: 200, height: 50 }, 1, { width: 500, height: 400 })).toEqual({ x: 450, y: 0, width: 50, height: 50 });
    expect(cropBox({ x: 600, y: 0, width: 10, height: 10 }, 1, { width: 500, height: 400 })).toBeNull();
  });
});

describe('training-set warnings', () => {
  const item = (id: string, width: number, sha256: string, description = 'a chair'): TrainingItem =>
    ({ id, width, height: width, sha256, description, image_id: id, menu: 'training', source_url: null, page_url: '', page_title: '', alt: '', thumb_url: '', thumb_data: null, status: 'ready', captured_at: '' }) as TrainingItem;

  it('flags images under 1024 px, duplicates and missing descriptions', () => {
    const warnings = trainingWarnings([item('a', 2048, 's1'), item('b', 800, 's2'), item('c', 2048, 's1', '  ')]);
    expect(warnings.get('a')).toEqual([]);
    expect(warnings.get('b')).toEqual([expect.stringMatching(/Under 1024 px \(800×800\)/)]);
    expect(warnings.get('c')).toEqual(['The same image as number 1.', 'Needs a short description.']);
  });
});
