// What a Style's state means, in a creator's words: its status, why it was rejected, what each
// copyright status promises. One place, so the studio and the side panel say the same.
import type { Style } from '../../../shared/api/styles';
import type { CopyrightStatus, RejectionReason } from '../../../shared/statuses';

/** The status in words, with what the creator does next where there is something to do. */
export function statusWords(style: Style): string {
  switch (style.status) {
    case 'training':
      return style.training?.progress != null ? `Training, ${percent(style.training.progress)}% done` : 'Training';
    case 'quiz':
      return style.quiz?.outcome === 'retrain' ? 'The quiz did not pass: retrain for free' : 'Trained: score the quiz';
    case 'ready':
      return style.visibility === 'public' ? 'Ready to publish' : 'Ready to use';
    case 'in_moderation':
      return 'In moderation';
    case 'published':
      return style.verification?.verified ? 'Published and verified' : 'Published in the library';
    case 'rejected':
      return 'Not accepted by moderation';
    case 'failed':
      return 'Training failed';
  }
}

export const percent = (fraction: number) => Math.round(fraction * 100);

export const visibilityWords = { public: 'Public', private: 'Private' } as const;

export const rejectionWords: Record<RejectionReason, string> = {
  terms: 'It goes against the terms of use.',
  inconsistent_style: 'Its samples do not share one consistent style.',
  copyright: 'Its training images raise a copyright question.',
};

export const copyrightWords: Record<CopyrightStatus, { label: string; explanation: string }> = {
  own_work: { label: 'My own work', explanation: 'I made every training image myself.' },
  licensed: { label: 'Licensed', explanation: 'I hold a license that lets me train on these images and sell what the Style makes.' },
  public_domain: { label: 'Public domain', explanation: 'The training images are free of copyright (their term ran out, or they were given to the public).' },
};

/** Whether the creator has something to do now: the panel's link into the studio says what. */
export function nextStep(style: Style): string | null {
  if (style.status === 'quiz' && style.quiz?.outcome !== 'retrain') return 'Score the quiz';
  if (style.free_retrain && (style.status === 'quiz' || style.status === 'rejected' || style.status === 'failed')) return 'Retrain for free';
  if (style.status === 'ready' && style.visibility === 'public' && !style.publication) return 'Publish';
  if (style.verification?.eligible && !style.verification.verified) return 'Verify';
  return null;
}
