// The D1 schema. drizzle-kit turns it into the SQL files in migrations/, which wrangler and
// the workerd tests apply the same way. Money rules live in CHECK and UNIQUE constraints so
// that an atomic batch that would overdraw or double-spend aborts as a whole.
import { sql } from 'drizzle-orm';
import { type AnySQLiteColumn, check, index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { extraKinds as variantKinds } from '../../shared/catalog/extras';
import type { ImageType } from '../../shared/imaging/header';
import {
  copyrightStatuses,
  generationStatuses,
  holdStatuses,
  imageKinds,
  ledgerKindNames as ledgerKinds,
  moderationDecisions,
  pinKinds,
  purchaseStatuses,
  quizOutcomes,
  rejectionReasons,
  roleNames as roles,
  sessionStatuses,
  styleStatuses,
  styleVersionStatuses,
  styleVisibilities,
  taskStatuses,
  variantStatuses,
} from '../../shared/statuses';

export type { GenerationStatus, HoldStatus, LedgerKind, PurchaseStatus, Role, TaskStatus } from '../../shared/statuses';

/** `column IN ('a', 'b', …)` from the one list of allowed values. */
const oneOf = (column: AnySQLiteColumn, values: readonly string[]) => sql`${column} IN (${sql.raw(values.map((v) => `'${v}'`).join(', '))})`;

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull().unique(),
    handle: text('handle').unique(),
    display_name: text('display_name'),
    /** The public profile (GET /v1/creators/:handle): a short bio, an avatar (one of their own images) and links (JSON [{ label, url }]). */
    bio: text('bio').notNull().default(''),
    avatar_image_id: text('avatar_image_id'),
    links: text('links').notNull().default('[]'),
    role: text('role', { enum: roles }).notNull().default('user'),
    created_at: text('created_at').notNull(),
  },
  (t) => [check('users_role_known', oneOf(t.role, roles))],
);

/** One-time sign-in codes, stored as an HMAC so a database leak reveals no live code. */
export const loginCodes = sqliteTable(
  'login_codes',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    code_hash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    expires_at: text('expires_at').notNull(),
    consumed_at: text('consumed_at'),
    created_at: text('created_at').notNull(),
  },
  (t) => [index('login_codes_email').on(t.email, t.created_at)],
);

/**
 * The local rate limiter's counts (development and tests; production counts in Cloudflare's
 * Rate Limiting bindings): per rule and key, when the next request is due under GCRA.
 */
export const rateCounters = sqliteTable('rate_counters', {
  /** `rule:key`, e.g. `work:usr_01hx`. */
  key: text('key').primaryKey(),
  /** Milliseconds since the epoch. */
  due: integer('due').notNull(),
});

/**
 * Refresh tokens, stored hashed. Each refresh rotates the token inside its family; presenting
 * a token that was already rotated means it leaked, so the whole family is revoked.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    family_id: text('family_id').notNull(),
    user_id: text('user_id')
      .notNull()
      .references(() => users.id),
    token_hash: text('token_hash').notNull().unique(),
    status: text('status', { enum: sessionStatuses }).notNull(),
    /** Set when rotated: the guard that lets exactly one refresh of a token succeed. */
    replaced_by: text('replaced_by'),
    created_at: text('created_at').notNull(),
    expires_at: text('expires_at').notNull(),
  },
  (t) => [index('sessions_family').on(t.family_id), index('sessions_user').on(t.user_id)],
);

/**
 * balance: credits owned (posted); held: reserved by running work; available = balance - held.
 * The CHECKs make any batch that would overdraw abort whole.
 */
export const creditAccounts = sqliteTable(
  'credit_accounts',
  {
    user_id: text('user_id')
      .primaryKey()
      .references(() => users.id),
    balance: integer('balance').notNull().default(0),
    held: integer('held').notNull().default(0),
    updated_at: text('updated_at').notNull(),
    /**
     * Credits a refunded or lost-disputed purchase took back that the balance could not cover
     * (the balance never goes below zero). While it is above zero the account spends nothing:
     * the trigger `credit_accounts_no_spending_while_owing` (migration 0012) aborts any change
     * that places a hold or lowers the balance without settling it; credits that come in
     * settle it first.
     */
    owed: integer('owed').notNull().default(0),
  },
  (t) => [
    check('balance_not_negative', sql`${t.balance} >= 0`),
    check('held_not_negative', sql`${t.held} >= 0`),
    check('available_not_negative', sql`${t.balance} - ${t.held} >= 0`),
    check('owed_not_negative', sql`${t.owed} >= 0`),
  ],
);

/**
 * A credit pack bought through Stripe Checkout (or, locally, the development checkout). The
 * row is written before the Checkout Session is made, keyed by the buyer's Idempotency-Key;
 * the pack is granted once (the ledger entry `purchase:<id>`) and taken back once.
 */
export const purchases = sqliteTable(
  'purchases',
  {
    id: text('id').primaryKey(),
    user_id: text('user_id')
      .notNull()
      .references(() => users.id),
    pack_id: text('pack_id').notNull(),
    credits: integer('credits').notNull(),
    /** In the currency's minor unit (cents), as Stripe counts it. */
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    status: text('status', { enum: purchaseStatuses }).notNull(),
    /** The Checkout Session (cs_…), once made; its page. */
    checkout_session_id: text('checkout_session_id'),
    checkout_url: text('checkout_url'),
    /** The PaymentIntent the session paid with: refunds and disputes name it, not the session. */
    payment_intent_id: text('payment_intent_id'),
    idempotency_key: text('idempotency_key').notNull(),
    request_hash: text('request_hash').notNull(),
    created_at: text('created_at').notNull(),
    updated_at: text('updated_at').notNull(),
    paid_at: text('paid_at'),
    reversed_at: text('reversed_at'),
  },
  (t) => [
    uniqueIndex('purchases_idempotency').on(t.user_id, t.idempotency_key),
    uniqueIndex('purchases_session').on(t.checkout_session_id),
    index('purchases_payment_intent').on(t.payment_intent_id),
    index('purchases_user').on(t.user_id, t.created_at),
    check('purchase_status_known', oneOf(t.status, purchaseStatuses)),
    check('purchase_credits_positive', sql`${t.credits} > 0 AND ${t.amount} > 0`),
  ],
);

/**
 * Every balance change is one row here, written in the same batch as the account update.
 * sum(amount) = balance and sum(held_change) = held, always. The unique idempotency key per
 * user makes a retried change abort instead of applying twice.
 */
export const ledgerEntries = sqliteTable(
  'ledger_entries',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull().unique(),
    user_id: text('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind', { enum: ledgerKinds }).notNull(),
    amount: integer('amount').notNull(),
    held_change: integer('held_change').notNull().default(0),
    balance_after: integer('balance_after').notNull(),
    held_after: integer('held_after').notNull(),
    ref: text('ref'),
    idempotency_key: text('idempotency_key').notNull(),
    created_at: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('ledger_entries_idempotency').on(t.user_id, t.idempotency_key),
    index('ledger_entries_user').on(t.user_id, t.seq),
    check('ledger_kind_known', oneOf(t.kind, ledgerKinds)),
  ],
);

/** A reservation of credits for work in flight; settles once, through a guarded transition. */
export const holds = sqliteTable(
  'holds',
  {
    id: text('id').primaryKey(),
    user_id: text('user_id')
      .notNull()
      .references(() => users.id),
    amount: integer('amount').notNull(),
    charged: integer('charged').notNull().default(0),
    refunded: integer('refunded').notNull().default(0),
    status: text('status', { enum: holdStatuses }).notNull(),
    ref: text('ref'),
    idempotency_key: text('idempotency_key').notNull(),
    settle_token: text('settle_token'),
    created_at: text('created_at').notNull(),
    expires_at: text('expires_at').notNull(),
    settled_at: text('settled_at'),
  },
  (t) => [
    uniqueIndex('holds_idempotency').on(t.user_id, t.idempotency_key),
    index('holds_open').on(t.status, t.expires_at),
    check('hold_amount_positive', sql`${t.amount} > 0`),
    check('hold_settles_within_amount', sql`${t.charged} >= 0 AND ${t.charged} + ${t.refunded} <= ${t.amount}`),
    check('hold_status_known', oneOf(t.status, holdStatuses)),
  ],
);

/** Mail waits here until the cron sends it; in development it stays, readable at /dev/outbox. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    to_email: text('to_email').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    created_at: text('created_at').notNull(),
    sent_at: text('sent_at'),
    attempts: integer('attempts').notNull().default(0),
    last_error: text('last_error'),
    /** Not tried again before this (backoff after a failed send); null: at the next run. */
    next_attempt_at: text('next_attempt_at'),
    /** Given up on after the last attempt (the dead-letter state): kept, with its last error, never sent. */
    dead_at: text('dead_at'),
  },
  (t) => [index('outbox_to').on(t.to_email, t.created_at), index('outbox_unsent').on(t.sent_at)],
);

/**
 * Every image a user owns: uploads and generated outputs. The original lives in R2 under a
 * random key only the server knows; derived renditions (thumb, preview) sit beside it.
 */
export const images = sqliteTable(
  'images',
  {
    id: text('id').primaryKey(),
    owner_id: text('owner_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind', { enum: imageKinds }).notNull(),
    content_type: text('content_type').$type<ImageType>().notNull(),
    bytes: integer('bytes').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    sha256: text('sha256').notNull(),
    r2_key: text('r2_key').notNull().unique(),
    source_url: text('source_url'),
    page_url: text('page_url'),
    page_title: text('page_title'),
    model_id: text('model_id'),
    generation_id: text('generation_id'),
    /** For generated images: which provider call and which of its outputs, so a result is stored once. */
    task_id: text('task_id'),
    output_index: integer('output_index'),
    created_at: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('images_upload_once').on(t.owner_id, t.sha256).where(sql`${t.kind} = 'upload'`),
    uniqueIndex('images_output_once').on(t.task_id, t.output_index),
    index('images_owner').on(t.owner_id, t.created_at),
    index('images_generation').on(t.generation_id),
    check('images_kind_known', oneOf(t.kind, imageKinds)),
  ],
);

/** One request to generate (or edit): what was asked, what it holds, how it ended. */
export const generations = sqliteTable(
  'generations',
  {
    id: text('id').primaryKey(),
    user_id: text('user_id')
      .notNull()
      .references(() => users.id),
    model_id: text('model_id').notNull(),
    /** generate, or an edit op: instruct, replace, recreate, erase. */
    operation: text('operation').notNull().default('generate'),
    status: text('status', { enum: generationStatuses }).notNull(),
    prompt: text('prompt').notNull(),
    batch: integer('batch').notNull(),
    resolution: text('resolution').notNull(),
    aspect_ratio: text('aspect_ratio').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    /** JSON: references, pins, style components, seed, source and mask images. */
    params: text('params').notNull(),
    credits_per_image: integer('credits_per_image').notNull(),
    hold_id: text('hold_id').notNull(),
    idempotency_key: text('idempotency_key').notNull(),
    request_hash: text('request_hash').notNull(),
    warnings: text('warnings').notNull().default('[]'),
    error: text('error'),
    created_at: text('created_at').notNull(),
    updated_at: text('updated_at').notNull(),
    completed_at: text('completed_at'),
  },
  (t) => [
    uniqueIndex('generations_idempotency').on(t.user_id, t.idempotency_key),
    index('generations_user').on(t.user_id, t.created_at),
    index('generations_open').on(t.status, t.updated_at),
    check('generation_status_known', oneOf(t.status, generationStatuses)),
    check('generation_batch_range', sql`${t.batch} BETWEEN 1 AND 12`),
  ],
);

/** One provider call: a batch larger than a provider's per-call maximum fans out into several. */
export const generationTasks = sqliteTable(
  'generation_tasks',
  {
    id: text('id').primaryKey(),
    generation_id: text('generation_id')
      .notNull()
      .references(() => generations.id),
    provider: text('provider').notNull(),
    endpoint: text('endpoint').notNull(),
    first_index: integer('first_index').notNull(),
    count: integer('count').notNull(),
    status: text('status', { enum: taskStatuses }).notNull(),
    request_id: text('request_id'),
    delivered: integer('delivered').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    /**
     * Set while a create is on its way to the provider (the submit claimed it), cleared when the
     * provider's answer is recorded: one left behind means the create's outcome is unknown.
     */
    sending_since: text('sending_since'),
    /** How far the provider says an open call has got, 0–1 (ComfyUI's sampler steps); null where it does not say. */
    progress: real('progress'),
    error: text('error'),
    created_at: text('created_at').notNull(),
    updated_at: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('generation_tasks_request').on(t.provider, t.request_id),
    index('generation_tasks_generation').on(t.generation_id),
    index('generation_tasks_open').on(t.status, t.updated_at),
    check('task_status_known', oneOf(t.status, taskStatuses)),
    check('task_delivers_within_count', sql`${t.delivered} >= 0 AND ${t.delivered} <= ${t.count}`),
  ],
);

/** Webhook deliveries already accepted, so a duplicate changes nothing. */
export const providerEvents = sqliteTable(
  'provider_events',
  {
    provider: text('provider').notNull(),
    event_id: text('event_id').notNull(),
    received_at: text('received_at').notNull(),
  },
  (t) => [uniqueIndex('provider_events_once').on(t.provider, t.event_id)],
);

/** A named set of images of one subject, kept consistent across generations. */
export const pins = sqliteTable(
  'pins',
  {
    id: text('id').primaryKey(),
    user_id: text('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind', { enum: pinKinds }).notNull(),
    name: text('name').notNull(),
    /** JSON array of image ids, 1..10, all the owner's. */
    image_ids: text('image_ids').notNull(),
    created_at: text('created_at').notNull(),
    updated_at: text('updated_at').notNull(),
  },
  (t) => [index('pins_user').on(t.user_id, t.created_at), check('pin_kind_known', oneOf(t.kind, pinKinds))],
);

/**
 * A saved Agentic blend: its blended style components (JSON StyleComponents), not the images
 * they came from. Names are unique per owner.
 */
export const recipes = sqliteTable(
  'recipes',
  {
    id: text('id').primaryKey(),
    user_id: text('user_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    components: text('components').notNull(),
    created_at: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('recipes_user_name').on(t.user_id, t.name), index('recipes_user').on(t.user_id, t.created_at)],
);

/**
 * A user's own model. Published public Styles are Artist Styles in everyone's library; a
 * private Style is its owner's alone. `components` is the measured style the offline renderer
 * paints from; `weights` the current version's trained weights at a provider (JSON
 * TrainedWeights with the provider's id), null when it trained offline.
 */
export const styles = sqliteTable(
  'styles',
  {
    id: text('id').primaryKey(),
    owner_id: text('owner_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    visibility: text('visibility', { enum: styleVisibilities }).notNull(),
    status: text('status', { enum: styleStatuses }).notNull(),
    verified: integer('verified', { mode: 'boolean' }).notNull().default(false),
    components: text('components').notNull(),
    /** The set it trains from (seeded Styles have none). */
    training_set_id: text('training_set_id'),
    /** The current version: 1 for the first training, one more for each retrain. */
    version: integer('version').notNull().default(1),
    weights: text('weights'),
    /** Set by a failed quiz or a rejection, spent by the retrain it pays for. */
    free_retrain: integer('free_retrain', { mode: 'boolean' }).notNull().default(false),
    /** Publishing: the library's title, title image, examples (JSON ids) and the creator's copyright statement. */
    title: text('title'),
    title_image_id: text('title_image_id'),
    example_image_ids: text('example_image_ids').notNull().default('[]'),
    copyright_status: text('copyright_status', { enum: copyrightStatuses }),
    submitted_at: text('submitted_at'),
    published_at: text('published_at'),
    /** Distinct users other than the creator who received an image from it (style_usage counts them). */
    distinct_users: integer('distinct_users').notNull().default(0),
    /** When the one invitation to verify was written to the outbox. */
    invited_at: text('invited_at'),
    verified_at: text('verified_at'),
    created_at: text('created_at').notNull(),
    updated_at: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('styles_owner_name').on(t.owner_id, t.name),
    index('styles_library').on(t.visibility, t.status),
    // The library's most-used order (edge/domain/styles/library.ts): a page is read off the index.
    index('styles_popular').on(t.visibility, t.status, t.distinct_users, t.id),
    index('styles_owner').on(t.owner_id, t.created_at),
    check('style_visibility_known', oneOf(t.visibility, styleVisibilities)),
    check('style_status_known', oneOf(t.status, styleStatuses)),
    check('style_copyright_known', sql`${t.copyright_status} IS NULL OR ${oneOf(t.copyright_status, copyrightStatuses)}`),
    check('style_users_not_negative', sql`${t.distinct_users} >= 0`),
  ],
);

/** A named set of a user's images a Style trains from. */
export const trainingSets = sqliteTable(
  'training_sets',
  {
    id: text('id').primaryKey(),
    owner_id: text('owner_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    created_at: text('created_at').notNull(),
    updated_at: text('updated_at').notNull(),
  },
  (t) => [index('training_sets_owner').on(t.owner_id, t.created_at)],
);

/**
 * One image of a training set with its description and what was measured of it when it was
 * added (size, SHA-256, 64-bit perceptual hash as 16 hex digits), so judging the set reads no
 * image again.
 */
export const trainingImages = sqliteTable(
  'training_images',
  {
    set_id: text('set_id')
      .notNull()
      .references(() => trainingSets.id),
    image_id: text('image_id')
      .notNull()
      .references(() => images.id),
    description: text('description').notNull().default(''),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    sha256: text('sha256').notNull(),
    hash: text('hash').notNull(),
    created_at: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('training_images_once').on(t.set_id, t.image_id), index('training_images_set').on(t.set_id, t.created_at)],
);

/**
 * One training run of a Style. Its hold pays for it (none for a free retrain); `images` is the
 * set as it was trained (JSON [{ image_id, description }]), so moderators see what this version
 * learned from even if the set changed since.
 */
export const styleVersions = sqliteTable(
  'style_versions',
  {
    id: text('id').primaryKey(),
    style_id: text('style_id')
      .notNull()
      .references(() => styles.id),
    version: integer('version').notNull(),
    status: text('status', { enum: styleVersionStatuses }).notNull(),
    images: text('images').notNull(),
    /** Which trainer runs it: fal, replicate or offline. */
    provider: text('provider').notNull(),
    request_id: text('request_id'),
    hold_id: text('hold_id'),
    idempotency_key: text('idempotency_key'),
    progress: real('progress'),
    /** JSON TrainedWeights once it succeeded at a provider. */
    weights: text('weights'),
    components: text('components'),
    error: text('error'),
    created_at: text('created_at').notNull(),
    updated_at: text('updated_at').notNull(),
    completed_at: text('completed_at'),
  },
  (t) => [
    uniqueIndex('style_versions_once').on(t.style_id, t.version),
    uniqueIndex('style_versions_request').on(t.provider, t.request_id),
    index('style_versions_open').on(t.status, t.updated_at),
    check('style_version_status_known', oneOf(t.status, styleVersionStatuses)),
  ],
);

/** The quiz of a version: the sample images made after training, each scored 1..5 by the creator. */
export const quizSamples = sqliteTable(
  'quiz_samples',
  {
    style_id: text('style_id')
      .notNull()
      .references(() => styles.id),
    version: integer('version').notNull(),
    image_id: text('image_id').notNull(),
    prompt: text('prompt').notNull(),
    position: integer('position').notNull(),
    score: integer('score'),
    scored_at: text('scored_at'),
  },
  (t) => [uniqueIndex('quiz_samples_once').on(t.style_id, t.version, t.image_id), check('quiz_score_range', sql`${t.score} IS NULL OR ${t.score} BETWEEN 1 AND 5`)],
);

/** A version's quiz result once scored. */
export const quizResults = sqliteTable(
  'quiz_results',
  {
    style_id: text('style_id')
      .notNull()
      .references(() => styles.id),
    version: integer('version').notNull(),
    average: real('average').notNull(),
    outcome: text('outcome', { enum: quizOutcomes }).notNull(),
    created_at: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('quiz_results_once').on(t.style_id, t.version), check('quiz_outcome_known', oneOf(t.outcome, quizOutcomes))],
);

/** Every moderation decision, with who made it. */
export const moderationReviews = sqliteTable(
  'moderation_reviews',
  {
    id: text('id').primaryKey(),
    style_id: text('style_id')
      .notNull()
      .references(() => styles.id),
    version: integer('version').notNull(),
    moderator_id: text('moderator_id')
      .notNull()
      .references(() => users.id),
    decision: text('decision', { enum: moderationDecisions }).notNull(),
    reason: text('reason', { enum: rejectionReasons }),
    note: text('note'),
    decided_at: text('decided_at').notNull(),
  },
  (t) => [
    uniqueIndex('moderation_reviews_once').on(t.style_id, t.version),
    check('moderation_decision_known', oneOf(t.decision, moderationDecisions)),
    check('moderation_reason_known', sql`${t.reason} IS NULL OR ${oneOf(t.reason, rejectionReasons)}`),
    check('moderation_rejection_has_reason', sql`${t.decision} = 'accepted' OR ${t.reason} IS NOT NULL`),
  ],
);

/** Who received an image from a public Style: one row per (Style, user), the creator never. */
export const styleUsage = sqliteTable(
  'style_usage',
  {
    style_id: text('style_id')
      .notNull()
      .references(() => styles.id),
    user_id: text('user_id')
      .notNull()
      .references(() => users.id),
    first_at: text('first_at').notNull(),
  },
  (t) => [uniqueIndex('style_usage_once').on(t.style_id, t.user_id)],
);

/** The creator's share of each license sold on a verified Style's image, written in the license's batch. */
export const creatorEarnings = sqliteTable(
  'creator_earnings',
  {
    id: text('id').primaryKey(),
    creator_id: text('creator_id')
      .notNull()
      .references(() => users.id),
    style_id: text('style_id')
      .notNull()
      .references(() => styles.id),
    license_id: text('license_id')
      .notNull()
      .unique()
      .references(() => licenses.id),
    image_id: text('image_id').notNull(),
    amount: integer('amount').notNull(),
    created_at: text('created_at').notNull(),
  },
  (t) => [index('creator_earnings_creator').on(t.creator_id, t.created_at), check('earning_amount_positive', sql`${t.amount} > 0`)],
);

/**
 * One license per image, bought in one batch with the buyer's debit (and the creator's
 * earning): UNIQUE image_id makes a second purchase abort whole.
 */
export const licenses = sqliteTable(
  'licenses',
  {
    id: text('id').primaryKey(),
    image_id: text('image_id')
      .notNull()
      .unique()
      .references(() => images.id),
    holder_id: text('holder_id')
      .notNull()
      .references(() => users.id),
    model_id: text('model_id').notNull(),
    creator_id: text('creator_id'),
    price: integer('price').notNull(),
    creator_earning: integer('creator_earning').notNull().default(0),
    terms: text('terms').notNull(),
    image_sha256: text('image_sha256').notNull(),
    idempotency_key: text('idempotency_key').notNull(),
    signature: text('signature').notNull(),
    issued_at: text('issued_at').notNull(),
  },
  (t) => [uniqueIndex('licenses_idempotency').on(t.holder_id, t.idempotency_key), index('licenses_holder').on(t.holder_id, t.issued_at)],
);


/** Licensed extras of an image, made once by a job and served by download. */
export const imageVariants = sqliteTable(
  'image_variants',
  {
    image_id: text('image_id')
      .notNull()
      .references(() => images.id),
    kind: text('kind', { enum: variantKinds }).notNull(),
    status: text('status', { enum: variantStatuses }).notNull(),
    r2_key: text('r2_key'),
    content_type: text('content_type'),
    width: integer('width'),
    height: integer('height'),
    error: text('error'),
    created_at: text('created_at').notNull(),
    updated_at: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('image_variants_once').on(t.image_id, t.kind), check('variant_status_known', oneOf(t.status, variantStatuses))],
);

// Rows as stored, inferred from the tables above. Keys are the column names, so a row reads the
// same through drizzle as in SQL, and snake_case like the API.
export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type LedgerEntryRow = typeof ledgerEntries.$inferSelect;
export type HoldRow = typeof holds.$inferSelect;
export type OutboxRow = typeof outbox.$inferSelect;
export type PurchaseRow = typeof purchases.$inferSelect;
export type ImageRow = typeof images.$inferSelect;
export type GenerationRow = typeof generations.$inferSelect;
export type TaskRow = typeof generationTasks.$inferSelect;
export type PinRow = typeof pins.$inferSelect;
export type RecipeRow = typeof recipes.$inferSelect;
export type StyleRow = typeof styles.$inferSelect;
export type TrainingSetRow = typeof trainingSets.$inferSelect;
export type TrainingImageRow = typeof trainingImages.$inferSelect;
export type StyleVersionRow = typeof styleVersions.$inferSelect;
export type QuizSampleRow = typeof quizSamples.$inferSelect;
export type ModerationReviewRow = typeof moderationReviews.$inferSelect;
export type CreatorEarningRow = typeof creatorEarnings.$inferSelect;
export type LicenseRow = typeof licenses.$inferSelect;
export type VariantRow = typeof imageVariants.$inferSelect;
