// The D1 schema. drizzle-kit turns it into the SQL files in migrations/, which wrangler and
// the workerd tests apply the same way. Money rules live in CHECK and UNIQUE constraints so
// that an atomic batch that would overdraw or double-spend aborts as a whole.
import { sql } from 'drizzle-orm';
import { type AnySQLiteColumn, check, index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { extraKinds as variantKinds } from '../../shared/catalog/extras';
import type { ImageType } from '../../shared/imaging/header';
import {
  generationStatuses,
  holdStatuses,
  imageKinds,
  ledgerKindNames as ledgerKinds,
  pinKinds,
  roleNames as roles,
  sessionStatuses,
  styleStatuses,
  styleVisibilities,
  taskStatuses,
  variantStatuses,
} from '../../shared/statuses';

export type { GenerationStatus, HoldStatus, LedgerKind, Role, TaskStatus } from '../../shared/statuses';

/** `column IN ('a', 'b', …)` from the one list of allowed values. */
const oneOf = (column: AnySQLiteColumn, values: readonly string[]) => sql`${column} IN (${sql.raw(values.map((v) => `'${v}'`).join(', '))})`;

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull().unique(),
    handle: text('handle').unique(),
    display_name: text('display_name'),
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
  },
  (t) => [
    check('balance_not_negative', sql`${t.balance} >= 0`),
    check('held_not_negative', sql`${t.held} >= 0`),
    check('available_not_negative', sql`${t.balance} - ${t.held} >= 0`),
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
 * A user's own model. Published public Styles are Artist Styles in everyone's library; a
 * private Style is its owner's alone. `components` is the measured style the offline renderer
 * paints from (a provider's trained weights will sit beside it).
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
    created_at: text('created_at').notNull(),
    updated_at: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('styles_owner_name').on(t.owner_id, t.name),
    index('styles_library').on(t.visibility, t.status),
    check('style_visibility_known', oneOf(t.visibility, styleVisibilities)),
    check('style_status_known', oneOf(t.status, styleStatuses)),
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
export type ImageRow = typeof images.$inferSelect;
export type GenerationRow = typeof generations.$inferSelect;
export type TaskRow = typeof generationTasks.$inferSelect;
export type PinRow = typeof pins.$inferSelect;
export type StyleRow = typeof styles.$inferSelect;
export type LicenseRow = typeof licenses.$inferSelect;
export type VariantRow = typeof imageVariants.$inferSelect;
