// Styles, from a training set to earnings: the shapes of ../routes/styles.ts. A Style's `id`
// is its model id in the catalog.
import { z } from 'zod';
import { MAX_STYLE_EXAMPLES, VERIFICATION_USERS } from '../catalog/styles';
import { PublicModel } from '../catalog/types';
import {
  copyrightStatuses,
  moderationDecisions,
  quizOutcomes,
  rejectionReasons,
  styleStatuses,
  styleVisibilities,
} from '../statuses';

const Id = z.string().min(1).max(64);
const Name = z.string().trim().min(1, { message: 'Give it a name' }).max(80);
const Description = z.string().trim().max(300, { message: 'Keep the description under 300 characters' });

// ---- Training sets ---------------------------------------------------------------------

export const CreateTrainingSetBody = z.object({ name: Name });

export const TrainingSetSummary = z
  .object({ id: z.string(), name: z.string(), image_count: z.number().int(), ready: z.boolean(), created_at: z.string(), updated_at: z.string() })
  .meta({ id: 'TrainingSetSummary' });
export type TrainingSetSummary = z.infer<typeof TrainingSetSummary>;

export const TrainingImage = z
  .object({
    image_id: z.string(),
    description: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    /** What is weak about it, in words (under 1024 px; the set has little variety). */
    warnings: z.array(z.string()),
  })
  .meta({ id: 'TrainingImage' });
export type TrainingImage = z.infer<typeof TrainingImage>;

export const TrainingSet = z
  .object({
    id: z.string(),
    name: z.string(),
    images: z.array(TrainingImage),
    /** 5..50 images, each described. */
    ready: z.boolean(),
    /** Why it is not ready yet, in words. */
    problems: z.array(z.string()),
    /** Credits training will hold (the quote before training). */
    training_cost: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'TrainingSet' });
export type TrainingSet = z.infer<typeof TrainingSet>;

export const AddTrainingImageBody = z.object({ image_id: Id, description: Description.default('') });
export const UpdateTrainingImageBody = z.object({ description: Description });
export const TrainingImageParams = z.object({ id: Id, image_id: Id });

// ---- Styles ----------------------------------------------------------------------------

export const CreateStyleBody = z.object({ training_set_id: Id, name: Name, visibility: z.enum(styleVisibilities) });

export const StyleCost = z.object({ held: z.number().int(), charged: z.number().int(), refunded: z.number().int() });

export const QuizSample = z.object({ image_id: z.string(), prompt: z.string(), score: z.number().int().min(1).max(5).nullable() });

export const StyleQuiz = z.object({
  samples: z.array(QuizSample),
  /** The average a pass needs. */
  threshold: z.number(),
  average: z.number().optional(),
  outcome: z.enum(quizOutcomes).optional(),
});

export const StyleModeration = z.object({
  decision: z.enum(moderationDecisions),
  reason: z.enum(rejectionReasons).optional(),
  note: z.string().optional(),
  decided_at: z.string(),
});

export const StyleVerification = z.object({
  distinct_users: z.number().int(),
  threshold: z.literal(VERIFICATION_USERS),
  /** Reached the threshold: the creator may verify. */
  eligible: z.boolean(),
  verified: z.boolean(),
});

export const StyleTraining = z.object({
  /** 0..1 while training, where the trainer says. */
  progress: z.number().min(0).max(1).nullable(),
  /** Why the last training failed, in words. */
  error: z.string().nullable(),
});

export const Style = z
  .object({
    id: z.string(),
    name: z.string(),
    visibility: z.enum(styleVisibilities),
    status: z.enum(styleStatuses),
    version: z.number().int(),
    training_set_id: z.string().nullable(),
    training: StyleTraining.optional(),
    cost: StyleCost.optional(),
    /** A retrain costs nothing now (after a failed quiz or a rejection). */
    free_retrain: z.boolean(),
    quiz: StyleQuiz.optional(),
    publication: z
      .object({
        title: z.string(),
        title_image_id: z.string(),
        example_image_ids: z.array(z.string()),
        copyright_status: z.enum(copyrightStatuses),
        submitted_at: z.string(),
        published_at: z.string().nullable(),
      })
      .optional(),
    moderation: StyleModeration.optional(),
    verification: StyleVerification.optional(),
    earnings: z.object({ total: z.number().int() }).optional(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Style' });
export type Style = z.infer<typeof Style>;

export const QuizBody = z.object({
  scores: z
    .array(z.object({ image_id: Id, score: z.number().int().min(1, { message: 'Score from 1 to 5' }).max(5, { message: 'Score from 1 to 5' }) }))
    .min(1)
    .max(50),
});
export const QuizResult = z.object({ outcome: z.enum(quizOutcomes), average: z.number(), style: Style }).meta({ id: 'QuizResult' });

export const PublishBody = z.object({
  title: z.string().trim().min(1, { message: 'Give it a title' }).max(80),
  title_image_id: Id,
  example_image_ids: z.array(Id).max(MAX_STYLE_EXAMPLES, { message: `At most ${MAX_STYLE_EXAMPLES} examples` }),
  copyright_status: z.enum(copyrightStatuses),
});

export const VerifyBody = z.object({ attestation: z.literal(true, { message: 'Confirm that you hold the rights you state' }) });

// ---- Moderation ------------------------------------------------------------------------

export const ModerationQuery = z.object({ status: z.enum(['pending']).default('pending') });

export const ModerationItem = z
  .object({
    style_id: z.string(),
    name: z.string(),
    title: z.string(),
    creator: z.object({ handle: z.string(), display_name: z.string(), email: z.string() }),
    version: z.number().int(),
    training_images: z.array(z.object({ image_id: z.string(), description: z.string() })),
    samples: z.array(QuizSample),
    quiz: z.object({ average: z.number(), scores: z.array(z.number().int()) }),
    title_image_id: z.string(),
    example_image_ids: z.array(z.string()),
    copyright_status: z.enum(copyrightStatuses),
    submitted_at: z.string(),
  })
  .meta({ id: 'ModerationItem' });
export type ModerationItem = z.infer<typeof ModerationItem>;

export const ModerationList = z.object({ items: z.array(ModerationItem) });

export const ModerationBody = z
  .object({ decision: z.enum(['accept', 'reject']), reason: z.enum(rejectionReasons).optional(), note: z.string().trim().max(1000).optional() })
  .refine((b) => b.decision === 'accept' || b.reason !== undefined, { message: 'Say why it is rejected: terms, inconsistent_style or copyright', path: ['reason'] });

export const ModerationReview = z
  .object({
    id: z.string(),
    style_id: z.string(),
    version: z.number().int(),
    decision: z.enum(moderationDecisions),
    reason: z.enum(rejectionReasons).nullable(),
    note: z.string().nullable(),
    moderator: z.string(),
    decided_at: z.string(),
  })
  .meta({ id: 'ModerationReview' });

// ---- Library, creators, profile --------------------------------------------------------


export const ProfileLink = z.object({ label: z.string().trim().min(1).max(40), url: z.url({ protocol: /^https?$/ }).max(300) });

export const Profile = z
  .object({
    handle: z.string(),
    display_name: z.string(),
    bio: z.string(),
    avatar_image_id: z.string().nullable(),
    links: z.array(ProfileLink),
  })
  .meta({ id: 'Profile' });
export type Profile = z.infer<typeof Profile>;

export const Handle = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_]{2,29}$/, { message: 'A handle is 3 to 30 letters, digits or _, starting with a letter or digit' });

export const UpdateProfileBody = z
  .object({
    handle: Handle.optional(),
    display_name: z.string().trim().min(1).max(60).optional(),
    bio: z.string().trim().max(500).optional(),
    avatar_image_id: Id.nullable().optional(),
    links: z.array(ProfileLink).max(5).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Change at least one field' });

export const HandleParam = z.object({ handle: z.string().min(1).max(40).meta({ description: 'The creator’s handle', example: 'mira' }) });

export const CreatorPage = z
  .object({
    handle: z.string(),
    display_name: z.string(),
    bio: z.string(),
    avatar_url: z.string().nullable(),
    links: z.array(ProfileLink),
    styles: z.array(PublicModel),
  })
  .meta({ id: 'CreatorPage' });
export type CreatorPage = z.infer<typeof CreatorPage>;

/** A public example image of a published Style (title or example), served as its preview. */
export const ExampleParams = z.object({ id: Id, image_id: Id });

// ---- Earnings --------------------------------------------------------------------------

export const Earnings = z
  .object({
    total: z.number().int(),
    by_style: z.array(z.object({ style_id: z.string(), name: z.string(), amount: z.number().int(), licenses: z.number().int() })),
    by_day: z.array(z.object({ date: z.string(), amount: z.number().int() })),
    items: z.array(
      z.object({ id: z.string(), license_id: z.string(), style_id: z.string(), image_id: z.string(), amount: z.number().int(), created_at: z.string() }),
    ),
  })
  .meta({ id: 'Earnings' });
export type Earnings = z.infer<typeof Earnings>;
