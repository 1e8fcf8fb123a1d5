// The quiz after a training: what the sample images are asked to show. Some prompts come from
// the set's own descriptions (does the Style hold what it learned from?), the rest are general
// subjects the set never showed (does it carry its look to new ground?). Pure and seeded, so
// a retried quiz asks the same things.
import { hash32 } from '../style/prompt';

export interface QuizPrompt {
  prompt: string;
  /** `set`: one of the set's descriptions; `general`: a subject the set did not show. */
  source: 'set' | 'general';
}

/** Subjects far from any one set: people, places, things, close and wide. */
export const GENERAL_QUIZ_SUBJECTS = [
  'a portrait of an old fisherman looking out to sea',
  'a quiet city street after rain, reflections on the pavement',
  'a bowl of fruit on a wooden table by a window',
  'a mountain lake at first light',
  'a cat asleep on a stack of books',
  'a market stall full of flowers',
  'a lighthouse on a rocky shore at night',
  'a child flying a kite in a wide field',
] as const;

/** A seeded shuffle (Fisher–Yates with a small LCG): the same seed, the same order. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * `count` prompts: about half from the set's descriptions (distinct, spread across the set),
 * the rest general. A set with fewer distinct descriptions than its half gives the rest to
 * general subjects, and the other way round.
 */
export function quizPrompts(input: { descriptions: readonly string[]; count: number; seed: string }): QuizPrompt[] {
  const count = Math.max(0, Math.floor(input.count));
  const seed = hash32(input.seed);
  const distinct = [...new Set(input.descriptions.map((d) => d.trim().replace(/\s+/g, ' ')).filter(Boolean))];
  const fromSet = Math.min(distinct.length, Math.ceil(count / 2), count);
  const general = Math.min(GENERAL_QUIZ_SUBJECTS.length, count - fromSet);
  // Spread over the set: every (n / fromSet)-th description, from a seeded start.
  const start = distinct.length ? seed % distinct.length : 0;
  const picked = Array.from({ length: fromSet }, (_, i) => distinct[(start + Math.floor((i * distinct.length) / fromSet)) % distinct.length]!);
  const prompts: QuizPrompt[] = [
    ...picked.map((prompt) => ({ prompt, source: 'set' as const })),
    ...shuffled(GENERAL_QUIZ_SUBJECTS, seed)
      .slice(0, general)
      .map((prompt) => ({ prompt, source: 'general' as const })),
  ];
  // Still short (a tiny set and a large count): the set's descriptions again.
  for (let i = 0; prompts.length < count && distinct.length; i++) prompts.push({ prompt: distinct[i % distinct.length]!, source: 'set' });
  return prompts.slice(0, count);
}
