// The Worker's bindings and per-request variables, declared once for Hono<AppEnv>.
export interface Bindings {
  DB: D1Database;
  /** Static files the Worker serves itself: the API reference's browser bundle. */
  ASSETS: Fetcher;
  IMAGES: R2Bucket;
  /** "development" turns on /dev routes; anything else is production behaviour. */
  ENVIRONMENT: string;
  /** Secret (32+ characters): signs access tokens and keys the login-code HMAC. */
  AUTH_SECRET: string;
  /** Secret keying where each image's preview watermark lies; unset: derived from AUTH_SECRET. */
  WATERMARK_SECRET?: string;
  ACCESS_TOKEN_TTL_SECONDS?: string;
  REFRESH_TOKEN_TTL_DAYS?: string;
  HOLD_TTL_MINUTES?: string;
  /** The creator's share of a license on a verified public Style (0..1, default 0.5). */
  CREATOR_SHARE?: string;
  /** Outgoing mail through an HTTP mail API (Resend's wire format); unset keeps mail in the outbox. */
  MAIL_API_URL?: string;
  MAIL_API_KEY?: string;
  MAIL_FROM?: string;
  /** Live updates: one Durable Object per user holds that user's open sockets. */
  USER_EVENTS: DurableObjectNamespace<import('./live/user-events').UserEvents>;
  /** Jobs: provider submissions and results, handled by the queue consumer. */
  JOBS: Queue<import('./jobs/messages').JobMessage>;
  /** Where providers send webhooks (this API's public origin); unset: the origin of the request. */
  PUBLIC_API_URL?: string;
  /** Secret: Stripe's API key (sk_…). With STRIPE_WEBHOOK_SECRET, credits are bought through Stripe Checkout. */
  STRIPE_SECRET_KEY?: string;
  /** Secret (whsec_…): verifies Stripe's webhooks, and signs the development checkout's events locally. */
  STRIPE_WEBHOOK_SECRET?: string;
  /** Stripe's API origin; tests only (a local fake). Default Stripe's own. */
  STRIPE_API_BASE?: string;
  FAL_KEY?: string;
  FAL_BASE_URL?: string;
  FAL_JWKS_URL?: string;
  /** Comma-separated hosts fal's outputs may be fetched from (`*.` for subdomains); default fal's CDN. */
  FAL_OUTPUT_HOSTS?: string;
  /** fal's user id of this account: webhooks signed for any other are refused. Unset: not checked. */
  FAL_USER_ID?: string;
  REPLICATE_API_TOKEN?: string;
  REPLICATE_BASE_URL?: string;
  REPLICATE_WEBHOOK_SECRET?: string;
  /** Styles train on Replicate (when fal is not configured) with this trainer version, "owner/name:version"; default ostris/flux-dev-lora-trainer's. */
  REPLICATE_TRAINER?: string;
  /** The Replicate model (owner/name, created on the account beforehand) trained Styles are pushed to as new versions; unset: Styles do not train on Replicate. */
  REPLICATE_TRAINING_DESTINATION?: string;
  /** Comma-separated hosts Replicate's outputs may be fetched from; default replicate.delivery and its subdomains. */
  REPLICATE_OUTPUT_HOSTS?: string;
  /** A ComfyUI the Worker can reach (e.g. http://127.0.0.1:8188 locally, a tunnel's address deployed): models listing `comfyui` run there. */
  COMFYUI_URL?: string;
  /** The checkpoint file in ComfyUI's models/checkpoints; default: the catalog route's (SDXL base 1.0). */
  COMFYUI_CHECKPOINT?: string;
  /** JSON: API-format graphs by workflow (text-to-image, image-to-image, inpaint) with {{placeholders}}, replacing the built-in ones. */
  COMFYUI_WORKFLOWS?: string;
  /** Sent as a bearer token, for a ComfyUI behind a proxy that asks for one. */
  COMFYUI_TOKEN?: string;
  /** The Cloudflare Images binding; declared only in production (its local mode draws no overlays). */
  IMAGES_API?: ImagesBinding;
  /** Workers AI; declared only in production (remote-only binding). */
  AI?: import('./providers/workers-ai').AiBinding;
  /** Requests a minute per network for sign-in (asking for a code and trying one); default 20. */
  RATE_LIMIT_SIGN_IN_PER_IP?: string;
  /** Sign-in requests a minute from everyone together; default 600. */
  RATE_LIMIT_SIGN_IN_GLOBAL?: string;
  /** Refreshes (a refresh token traded for a new pair) a minute per network; default 60. */
  RATE_LIMIT_REFRESH_PER_IP?: string;
  /** Work a user can start a minute (generations, edits, extras, Image-to-Prompt, style components); default 60. */
  RATE_LIMIT_WORK_PER_USER?: string;
  /** Uploads a user can make a minute; default 120. */
  RATE_LIMIT_UPLOADS_PER_USER?: string;
  /** Cloudflare's Rate Limiting bindings, one per rule (production; limits set in wrangler.toml). */
  SIGN_IN_IP_LIMITER?: RateLimit;
  SIGN_IN_GLOBAL_LIMITER?: RateLimit;
  REFRESH_IP_LIMITER?: RateLimit;
  WORK_LIMITER?: RateLimit;
  UPLOAD_LIMITER?: RateLimit;
  /** How many times a provider call that failed for a passing reason is tried (a 429 does not count). */
  PROVIDER_MAX_ATTEMPTS?: string;
  /** Calls each provider may have running at once; more wait their turn. Unset: no limit of ours. */
  FAL_MAX_CONCURRENCY?: string;
  REPLICATE_MAX_CONCURRENCY?: string;
}

export interface AuthUser {
  id: string;
  role: 'user' | 'moderator' | 'admin';
  /** The sign-in (refresh-token family) this access token belongs to. */
  sessionFamily: string;
}

export interface Variables {
  /** Set by requireUser (always) or optionalUser (when a valid token came). */
  user: AuthUser;
  /** Set by requireUser on a route that checks the sign-in and its rate counts in its own batch. */
  admission?: import('./http/admission').Admission;
}

export type AppEnv = { Bindings: Bindings; Variables: Variables };
