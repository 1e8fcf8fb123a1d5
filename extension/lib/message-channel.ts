// The one mechanism every message in the extension answers through: a map declares each
// message's request and answer as zod schemas; the receiver checks the sender and parses the
// request (the asker parses the answer: readAnswer in messaging.ts). Answers carry either data
// or a problem. Built on zod/mini and free of the API client (problems.ts carries failures) because the capture script
// injected into pages bundles it: full zod and the API's schemas would add 75 KB to it.
import * as z from 'zod/mini';
import type { Problem } from '../../shared/api/problem';
import { ApiError, localProblem } from './problems';

/** A message map: each message's request and the data of its answer. */
export type MessageMap = Record<string, { request: z.core.$ZodType; response: z.core.$ZodType }>;

export type RequestOf<M extends MessageMap, T extends keyof M> = z.input<M[T]['request']>;
export type ResponseOf<M extends MessageMap, T extends keyof M> = z.output<M[T]['response']>;
export type HandlersOf<M extends MessageMap> = {
  [T in keyof M]: (request: z.output<M[T]['request']>) => Promise<z.input<M[T]['response']>>;
};

export type Envelope = { type: string; payload: unknown };
export type Answer = { ok: true; data: unknown } | { ok: false; problem: Problem };

const EnvelopeSchema = z.object({ type: z.string(), payload: z.unknown() });

export interface Sender {
  id?: string;
  url?: string;
  tab?: unknown;
}

/**
 * Only this extension's own pages and background may send (the side panel, the same page
 * opened in a tab, the service worker). A content script's sender URL is the web page's, and
 * another extension's id differs, so neither passes.
 */
export function isTrustedSender(sender: Sender, extensionId: string, extensionOrigin: string): boolean {
  return sender.id === extensionId && typeof sender.url === 'string' && sender.url.startsWith(extensionOrigin);
}

/** Validates and runs one message of a map; every failure becomes a problem the asker can show. */
export async function dispatchTo<M extends MessageMap>(map: M, handlers: HandlersOf<M>, message: unknown): Promise<Answer> {
  const envelope = z.safeParse(EnvelopeSchema, message);
  if (!envelope.success || !Object.hasOwn(map, envelope.data.type)) {
    return { ok: false, problem: localProblem('bad_message', 'The extension sent a message it does not know.') };
  }
  const { type, payload } = envelope.data;
  const request = z.safeParse(map[type]!.request, payload ?? {});
  if (!request.success) {
    const issues = request.error.issues;
    return {
      ok: false,
      problem: { ...localProblem('validation_failed', issues[0]?.message ?? 'Check what you typed.', 422), errors: issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    };
  }
  try {
    const data = await (handlers[type] as (r: unknown) => Promise<unknown>)(request.data);
    return { ok: true, data };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, problem: error.problem };
    console.error(`message ${type} failed`, error);
    return { ok: false, problem: localProblem('extension_error', 'Something went wrong in the extension. Please try again.') };
  }
}

/**
 * A runtime.onMessage listener answering one map's messages from trusted senders. It answers
 * through sendResponse and `return true`, which Chrome, Firefox and the polyfill all honour.
 */
export function listenerFor<M extends MessageMap>(map: M, handlers: HandlersOf<M>, trusted: (sender: Sender) => boolean) {
  return (message: unknown, sender: Sender, sendResponse: (answer: Answer) => void): boolean => {
    if (!trusted(sender)) return false;
    void dispatchTo(map, handlers, message).then(sendResponse);
    return true;
  };
}
