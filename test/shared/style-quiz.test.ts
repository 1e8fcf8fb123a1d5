// The quiz's prompts: half from the set's own descriptions, half general subjects, seeded.
import { describe, expect, it } from 'vitest';
import { QUIZ_SAMPLE_COUNT } from '../../shared/catalog/styles';
import { GENERAL_QUIZ_SUBJECTS, quizPrompts } from '../../shared/styles/quiz';

const set = ['harbour at dusk, two boats', 'fish market at dawn', 'gulls over the pier', 'net mender in the rain', 'lighthouse keeper at supper', 'tide pools at low water', 'ropes on a bollard'];

describe('quiz prompts', () => {
  it('asks for the sample count: half from the set’s descriptions, the rest general subjects', () => {
    const prompts = quizPrompts({ descriptions: set, count: QUIZ_SAMPLE_COUNT, seed: 'sty_1:1' });
    expect(prompts).toHaveLength(QUIZ_SAMPLE_COUNT);
    const fromSet = prompts.filter((p) => p.source === 'set');
    expect(fromSet).toHaveLength(Math.ceil(QUIZ_SAMPLE_COUNT / 2));
    for (const p of fromSet) expect(set).toContain(p.prompt);
    for (const p of prompts.filter((q) => q.source === 'general')) expect(GENERAL_QUIZ_SUBJECTS).toContain(p.prompt);
    expect(new Set(prompts.map((p) => p.prompt)).size).toBe(prompts.length);
  });

  it('asks the same again for the same seed, and something else for another version', () => {
    const a = quizPrompts({ descriptions: set, count: 6, seed: 'sty_1:1' });
    expect(quizPrompts({ descriptions: set, count: 6, seed: 'sty_1:1' })).toEqual(a);
    const others = ['sty_1:2', 'sty_1:3', 'sty_2:1'].map((seed) => JSON.stringify(quizPrompts({ descriptions: set, count: 6, seed })));
    expect(others.some((o) => o !== JSON.stringify(a))).toBe(true);
  });

  it('spreads its picks across the set rather than taking the first few', () => {
    const many = Array.from({ length: 30 }, (_, i) => `study ${i}`);
    const picked = quizPrompts({ descriptions: many, count: 6, seed: 'x' })
      .filter((p) => p.source === 'set')
      .map((p) => Number(p.prompt.split(' ')[1]));
    expect(Math.max(...picked) - Math.min(...picked)).toBeGreaterThanOrEqual(15);
  });

  it('uses each description once however it is spaced or repeated, and fills the rest with general subjects', () => {
    const prompts = quizPrompts({ descriptions: ['boats', ' boats ', 'boats', ''], count: 6, seed: 's' });
    expect(prompts.filter((p) => p.source === 'set').map((p) => p.prompt)).toEqual(['boats']);
    expect(prompts).toHaveLength(6);
  });
});
