// The D1 schema. drizzle-kit turns it into the SQL files in migrations/, which wrangler and
// the workerd tests apply the same way. Money rules live in CHECK and UNIQUE constraints so
// that an atomic batch that would overdraw or double-spend aborts as a whole.
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { roleNames as roles } from '../../shared/api/auth';
import { ledgerKindNames as ledgerKinds } from '../../shared/api/credits';
import { extraKinds as variantKinds } from '../../shared/catalog/extras';

export type Role = (typeof roles)[number];

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull().unique(),
    handle: text('handle').unique(),
    displayName: text('display_name'),
    role: text('role', { enum: roles }).notNull().default('user'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [check('users_role_known', sql`${t.role} IN ('user', 'moderator', 'admin')`)],
);

/** One-time sign-in codes, stored as an HMAC so a database leak reveals no live code. */
export const loginCodes = sqliteTable(
  'login_codes',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: text('expires_at').notNull(),
    consumedAt: text('consumed_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('login_codes_email').on(t.email, t.createdAt)],
);

/**
 * Refresh tokens, stored hashed. Each refresh rotates the token inside its family; presenting
 * a token that was already rotated means it leaked, so the whole family is revoked.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    familyId: text('family_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    tokenHash: text('token_hash').notNull().unique(),
    status: text('status', { enum: ['active', 'rotated', 'revoked'] }).notNull(),
    /** Set when rotated: the guard that lets exactly one refresh of a token succeed. */
    replacedBy: text('replaced_by'),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [index('sessions_family').on(t.familyId), index('sessions_user').on(t.userId)],
);

/**
 * balance: credits owned (posted); held: reserved by running work; available = balance - held.
 * The CHECKs make any batch that would overdraw abort whole.
 */
export const creditAccounts = sqliteTable(
  'credit_accounts',
  {
    userId: text('user_id')
      .primaryKey()
      .references(() => users.id),
    balance: integer('balance').notNull().default(0),
    held: integer('held').notNull().default(0),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    check('balance_not_negative', sql`${t.balance} >= 0`),
    check('held_not_negative', sql`${t.held} >= 0`),
    check('available_not_negative', sql`${t.balance} - ${t.held} >= 0`),
  ],
);

export type LedgerKind = (typeof ledgerKinds)[number];

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
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind', { enum: ledgerKinds }).notNull(),
    amount: integer('amount').notNull(),
    heldChange: integer('held_change').notNull().default(0),
    balanceAfter: integer('balance_after').notNull(),
    heldAfter: integer('held_after').notNull(),
    ref: text('ref'),
    idempotencyKey: text('idempotency_key').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('ledger_entries_idempotency').on(t.userId, t.idempotencyKey),
    index('ledger_entries_user').on(t.userId, t.seq),
    check(
      'ledger_kind_known',
      sql`${t.kind} IN ('purchase', 'grant', 'hold', 'charge', 'refund', 'license', 'earning', 'payout')`,
    ),
  ],
);

export const holdStatuses = ['held', 'settled', 'expired'] as const;
export type HoldStatus = (typeof holdStatuses)[number];

/** A reservation of credits for work in flight; settles once, through a guarded transition. */
export const holds = sqliteTable(
  'holds',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    amount: integer('amount').notNull(),
    charged: integer('charged').notNull().default(0),
    refunded: integer('refunded').notNull().default(0),
    status: text('status', { enum: holdStatuses }).notNull(),
    ref: text('ref'),
    idempotencyKey: text('idempotency_key').notNull(),
    settleToken: text('settle_token'),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    settledAt: text('settled_at'),
  },
  (t) => [
    uniqueIndex('holds_idempotency').on(t.userId, t.idempotencyKey),
    index('holds_open').on(t.status, t.expiresAt),
    check('hold_amount_positive', sql`${t.amount} > 0`),
    check('hold_settles_within_amount', sql`${t.charged} >= 0 AND ${t.charged} + ${t.refunded} <= ${t.amount}`),
    check('hold_status_known', sql`${t.status} IN ('held', 'settled', 'expired')`),
  ],
);

/** Mail waits here until the cron sends it; in development it stays, readable at /dev/outbox. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    toEmail: text('to_email').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    createdAt: text('created_at').notNull(),
    sentAt: text('sent_at'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_to').on(t.toEmail, t.createdAt), index('outbox_unsent').on(t.sentAt)],
);

export const imageKinds = ['upload', 'generated'] as const;

/**
 * Every image a user owns: uploads and generated outputs. The original lives in R2 under a
 * random key only the server knows; derived renditions (thumb, preview) sit beside it.
 */
export const images = sqliteTable(
  'images',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind', { enum: imageKinds }).notNull(),
    contentType: text('content_type').notNull(),
    bytes: integer('bytes').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    sha256: text('sha256').notNull(),
    r2Key: text('r2_key').notNull().unique(),
    sourceUrl: text('source_url'),
    pageUrl: text('page_url'),
    pageTitle: text('page_title'),
    modelId: text('model_id'),
    generationId: text('generation_id'),
    /** For generated images: which provider call and which of its outputs, so a result is stored once. */
    taskId: text('task_id'),
    outputIndex: integer('output_index'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('images_upload_once').on(t.ownerId, t.sha256).where(sql`${t.kind} = 'upload'`),
    uniqueIndex('images_output_once').on(t.taskId, t.outputIndex),
    index('images_owner').on(t.ownerId, t.createdAt),
    index('images_generation').on(t.generationId),
    check('images_kind_known', sql`${t.kind} IN ('upload', 'generated')`),
  ],
);

export const generationStatuses = ['queued', 'running', 'succeeded', 'partial', 'failed', 'canceled'] as const;
export type GenerationStatus = (typeof generationStatuses)[number];

/** One request to generate (or edit): what was asked, what it holds, how it ended. */
export const generations = sqliteTable(
  'generations',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    modelId: text('model_id').notNull(),
    /** generate, or an edit op: instruct, replace, recreate, erase. */
    operation: text('operation').notNull().default('generate'),
    status: text('status', { enum: generationStatuses }).notNull(),
    prompt: text('prompt').notNull(),
    batch: integer('batch').notNull(),
    resolution: text('resolution').notNull(),
    aspectRatio: text('aspect_ratio').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    /** JSON: references, pins, style components, seed, source and mask images. */
    params: text('params').notNull(),
    creditsPerImage: integer('credits_per_image').notNull(),
    holdId: text('hold_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    warnings: text('warnings').notNull().default('[]'),
    error: text('error'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    completedAt: text('completed_at'),
  },
  (t) => [
    uniqueIndex('generations_idempotency').on(t.userId, t.idempotencyKey),
    index('generations_user').on(t.userId, t.createdAt),
    index('generations_open').on(t.status, t.updatedAt),
    check('generation_status_known', sql`${t.status} IN ('queued', 'running', 'succeeded', 'partial', 'failed', 'canceled')`),
    check('generation_batch_range', sql`${t.batch} BETWEEN 1 AND 12`),
  ],
);

export const taskStatuses = ['pending', 'submitted', 'succeeded', 'failed', 'canceled'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

/** One provider call: a batch larger than a provider's per-call maximum fans out into several. */
export const generationTasks = sqliteTable(
  'generation_tasks',
  {
    id: text('id').primaryKey(),
    generationId: text('generation_id')
      .notNull()
      .references(() => generations.id),
    provider: text('provider').notNull(),
    endpoint: text('endpoint').notNull(),
    firstIndex: integer('first_index').notNull(),
    count: integer('count').notNull(),
    status: text('status', { enum: taskStatuses }).notNull(),
    requestId: text('request_id'),
    delivered: integer('delivered').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('generation_tasks_request').on(t.provider, t.requestId),
    index('generation_tasks_generation').on(t.generationId),
    index('generation_tasks_open').on(t.status, t.updatedAt),
    check('task_status_known', sql`${t.status} IN ('pending', 'submitted', 'succeeded', 'failed', 'canceled')`),
    check('task_delivers_within_count', sql`${t.delivered} >= 0 AND ${t.delivered} <= ${t.count}`),
  ],
);

/** Webhook deliveries already accepted, so a duplicate changes nothing. */
export const providerEvents = sqliteTable(
  'provider_events',
  {
    provider: text('provider').notNull(),
    eventId: text('event_id').notNull(),
    receivedAt: text('received_at').notNull(),
  },
  (t) => [uniqueIndex('provider_events_once').on(t.provider, t.eventId)],
);

/** A named set of images of one subject, kept consistent across generations. */
export const pins = sqliteTable(
  'pins',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind', { enum: ['character', 'product'] }).notNull(),
    name: text('name').notNull(),
    /** JSON array of image ids, 1..10, all the owner's. */
    imageIds: text('image_ids').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('pins_user').on(t.userId, t.createdAt), check('pin_kind_known', sql`${t.kind} IN ('character', 'product')`)],
);

export const styleStatuses = ['training', 'quiz', 'ready', 'in_moderation', 'published', 'rejected', 'failed'] as const;

/**
 * A user's own model. Published public Styles are Artist Styles in everyone's library; a
 * private Style is its owner's alone. `components` is the measured style the offline renderer
 * paints from (a provider's trained weights will sit beside it).
 */
export const styles = sqliteTable(
  'styles',
  {
    id: text('id').primaryKey(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    visibility: text('visibility', { enum: ['public', 'private'] }).notNull(),
    status: text('status', { enum: styleStatuses }).notNull(),
    verified: integer('verified', { mode: 'boolean' }).notNull().default(false),
    components: text('components').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('styles_owner_name').on(t.ownerId, t.name),
    index('styles_library').on(t.visibility, t.status),
    check('style_visibility_known', sql`${t.visibility} IN ('public', 'private')`),
    check('style_status_known', sql`${t.status} IN ('training', 'quiz', 'ready', 'in_moderation', 'published', 'rejected', 'failed')`),
  ],
);

/**
 * One license per image, bought in one batch with the buyer's debit (and the creator's
 * earning): UNIQUE image_id makes a second purchase abort whole.
 */
export const licenses = sqliteTable(
  'licenses',
  {
    id: text('id').primaryKey(),
    imageId: text('image_id')
      .notNull()
      .unique()
      .references(() => images.id),
    holderId: text('holder_id')
      .notNull()
      .references(() => users.id),
    modelId: text('model_id').notNull(),
    creatorId: text('creator_id'),
    price: integer('price').notNull(),
    creatorEarning: integer('creator_earning').notNull().default(0),
    terms: text('terms').notNull(),
    imageSha256: text('image_sha256').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    signature: text('signature').notNull(),
    issuedAt: text('issued_at').notNull(),
  },
  (t) => [uniqueIndex('licenses_idempotency').on(t.holderId, t.idempotencyKey), index('licenses_holder').on(t.holderId, t.issuedAt)],
);


/** Licensed extras of an image, made once by a job and served by download. */
export const imageVariants = sqliteTable(
  'image_variants',
  {
    imageId: text('image_id')
      .notNull()
      .references(() => images.id),
    kind: text('kind', { enum: variantKinds }).notNull(),
    status: text('status', { enum: ['queued', 'ready', 'failed'] }).notNull(),
    r2Key: text('r2_key'),
    contentType: text('content_type'),
    width: integer('width'),
    height: integer('height'),
    error: text('error'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('image_variants_once').on(t.imageId, t.kind), check('variant_status_known', sql`${t.status} IN ('queued', 'ready', 'failed')`)],
);
