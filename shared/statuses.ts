// Every status and kind list of the product, defined once: the D1 schema derives its columns
// and CHECK constraints from these, the domain its transitions, the API schemas their enums.
export const roleNames = ['user', 'moderator', 'admin'] as const;
export const sessionStatuses = ['active', 'rotated', 'revoked'] as const;
export const ledgerKindNames = ['purchase', 'grant', 'hold', 'charge', 'refund', 'license', 'earning', 'payout'] as const;
export const holdStatuses = ['held', 'settled', 'expired'] as const;
/**
 * A credit pack bought through Checkout: pending until paid (or its delayed payment fails);
 * paid grants the pack once; refunded or a lost dispute (disputed) takes it back.
 */
export const purchaseStatuses = ['pending', 'paid', 'failed', 'refunded', 'disputed'] as const;
export const imageKinds = ['upload', 'generated'] as const;
export const generationStatuses = ['queued', 'running', 'succeeded', 'partial', 'failed', 'canceled'] as const;
/** Work still in flight (the state machine in edge/domain/generations/states.ts agrees; a test holds it). */
export const openGenerationStatuses = ['queued', 'running'] as const satisfies readonly (typeof generationStatuses)[number][];
export const taskStatuses = ['pending', 'submitted', 'succeeded', 'failed', 'canceled'] as const;
export const variantStatuses = ['queued', 'ready', 'failed'] as const;
export const pinKinds = ['character', 'product'] as const;
export const styleVisibilities = ['public', 'private'] as const;
export const styleStatuses = ['training', 'quiz', 'ready', 'in_moderation', 'published', 'rejected', 'failed'] as const;
/** One training run of a Style: each training (and each retrain) makes a new version. */
export const styleVersionStatuses = ['training', 'succeeded', 'failed', 'canceled'] as const;
export const quizOutcomes = ['pass', 'retrain'] as const;
export const copyrightStatuses = ['own_work', 'licensed', 'public_domain'] as const;
export const moderationDecisions = ['accepted', 'rejected'] as const;
/** The three reasons a moderator may reject a Style for. */
export const rejectionReasons = ['terms', 'inconsistent_style', 'copyright'] as const;

export type Role = (typeof roleNames)[number];
export type SessionStatus = (typeof sessionStatuses)[number];
export type LedgerKind = (typeof ledgerKindNames)[number];
export type HoldStatus = (typeof holdStatuses)[number];
export type PurchaseStatus = (typeof purchaseStatuses)[number];
export type ImageKind = (typeof imageKinds)[number];
export type GenerationStatus = (typeof generationStatuses)[number];
export type TaskStatus = (typeof taskStatuses)[number];
export type VariantStatus = (typeof variantStatuses)[number];
export type PinKind = (typeof pinKinds)[number];
export type StyleStatus = (typeof styleStatuses)[number];
export type StyleVisibility = (typeof styleVisibilities)[number];
export type StyleVersionStatus = (typeof styleVersionStatuses)[number];
export type QuizOutcome = (typeof quizOutcomes)[number];
export type CopyrightStatus = (typeof copyrightStatuses)[number];
export type ModerationDecision = (typeof moderationDecisions)[number];
export type RejectionReason = (typeof rejectionReasons)[number];
