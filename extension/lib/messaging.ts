// The messages between extension pages (the side panel) and the background, in the one message
// mechanism (message-channel.ts): zod-validated both ways, and answered only when they come
// from this extension's own pages (never a content script or another extension). Also the
// asking side of every map: an answer parsed, or ApiError with the problem.
import { browser } from 'wxt/browser';
import { z } from 'zod';
import { EmailStartBody, EmailVerifyBody, User } from '../../shared/api/auth';
import { Problem } from '../../shared/api/problem';
import { ApiError, localProblem } from './api-client';
import { Capture } from '../capture/capture';
import { dispatchTo, type HandlersOf, isTrustedSender, listenerFor, type MessageMap, type RequestOf, type ResponseOf, type Sender } from './message-channel';

export { isTrustedSender, type Sender };

export const protocol = {
  'auth.state': { request: z.object({}), response: z.object({ signedIn: z.boolean(), user: User.nullable() }) },
  'auth.start': { request: EmailStartBody, response: z.object({ sent: z.boolean() }) },
  'auth.verify': { request: EmailVerifyBody, response: z.object({ user: User }) },
  'auth.signOut': { request: z.object({}), response: z.object({}) },
  'auth.accessToken': {
    request: z.object({ forceRefresh: z.boolean().optional() }),
    response: z.object({ token: z.string().nullable() }),
  },
  /** Images chosen from a collected page, fetched by the background and uploaded. */
  'capture.urls': {
    request: z.object({
      urls: z.array(z.string().url()).min(1).max(50),
      page_url: z.string(),
      page_title: z.string(),
      menu: z.enum(['reference', 'agentic', 'training']),
    }),
    response: z.object({ captures: z.array(Capture), failed: z.array(z.string()) }),
  },
} as const;

export type MessageType = keyof typeof protocol;
export type MessageRequest<T extends MessageType> = RequestOf<typeof protocol, T>;
export type MessageResponse<T extends MessageType> = ResponseOf<typeof protocol, T>;
export type Handlers = HandlersOf<typeof protocol>;

/** Validates and runs one message; every failure becomes a problem the page can show. */
export const dispatch = (handlers: Handlers, message: unknown) => dispatchTo(protocol, handlers, message);

/** A runtime.onMessage listener answering this map's messages from trusted senders. */
export const createListener = (handlers: Handlers, trusted: (sender: Sender) => boolean) => listenerFor(protocol, handlers, trusted);

/** Background side: answers messages from this extension's own pages only. */
export function listen(handlers: Handlers) {
  const origin = browser.runtime.getURL('/');
  browser.runtime.onMessage.addListener(createListener(handlers, (sender) => isTrustedSender(sender, browser.runtime.id, origin)));
}

/** Page side: sends a message and returns its parsed data, or throws ApiError with the problem. */
export async function send<T extends MessageType>(type: T, payload: MessageRequest<T>): Promise<MessageResponse<T>> {
  return readAnswer(protocol, type, await browser.runtime.sendMessage({ type, payload }));
}

const AnswerSchema = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), data: z.unknown() }), z.object({ ok: z.literal(false), problem: Problem })]);

/** The asker's side of any map: the answer's data parsed with the map's schema, or ApiError with the problem. */
export function readAnswer<M extends MessageMap, T extends keyof M & string>(map: M, type: T, answer: unknown): ResponseOf<M, T> {
  if (answer === undefined || answer === null) throw new ApiError(localProblem('extension_error', 'The extension is restarting. Please try again.'));
  const envelope = AnswerSchema.safeParse(answer);
  if (envelope.success && !envelope.data.ok) throw new ApiError(envelope.data.problem);
  const data = envelope.success && envelope.data.ok ? z.safeParse(map[type]!.response, envelope.data.data) : null;
  if (!data?.success) {
    console.error(`answer to ${type} does not fit its schema`, data ? data.error.issues : envelope.error?.issues);
    throw new ApiError(localProblem('bad_answer', 'The extension got an answer it does not understand. Reload the page and try again.'));
  }
  return data.data as ResponseOf<M, T>;
}
