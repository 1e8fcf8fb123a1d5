// The one typed message protocol between extension pages and the background. Every message
// is zod-validated and must come from this extension's own pages (never a content script
// or another extension). Answers carry either data or the API's problem.
import { browser } from 'wxt/browser';
import { z } from 'zod';
import { EmailStartBody, EmailVerifyBody, User } from '../../shared/api/auth';
import type { Problem } from '../../shared/api/problem';
import { ApiError, localProblem } from './api-client';

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
    response: z.object({ captures: z.array(z.any()), failed: z.array(z.string()) }),
  },
} as const;

export type MessageType = keyof typeof protocol;
export type MessageRequest<T extends MessageType> = z.input<(typeof protocol)[T]['request']>;
export type MessageResponse<T extends MessageType> = z.infer<(typeof protocol)[T]['response']>;
export type Handlers = { [T in MessageType]: (request: z.infer<(typeof protocol)[T]['request']>) => Promise<MessageResponse<T>> };

type Envelope = { type: MessageType; payload: unknown };
type Answer = { ok: true; data: unknown } | { ok: false; problem: Problem };

const Envelope = z.object({ type: z.enum(Object.keys(protocol) as [MessageType, ...MessageType[]]), payload: z.unknown() });

export interface Sender {
  id?: string;
  url?: string;
  tab?: unknown;
}

/**
 * Only this extension's own pages may talk to the background (the side panel, or the same
 * page opened in a tab). A content script's sender URL is the web page's, so it never passes.
 */
export function isTrustedSender(sender: Sender, extensionId: string, extensionOrigin: string): boolean {
  return sender.id === extensionId && typeof sender.url === 'string' && sender.url.startsWith(extensionOrigin);
}

/** Validates and runs one message; every failure becomes a problem the page can show. */
export async function dispatch(handlers: Handlers, message: unknown): Promise<Answer> {
  const envelope = Envelope.safeParse(message);
  if (!envelope.success) return { ok: false, problem: localProblem('bad_message', 'The extension sent a message it does not know.') };
  const { type, payload } = envelope.data;
  const request = protocol[type].request.safeParse(payload ?? {});
  if (!request.success) {
    const issue = request.error.issues[0];
    return { ok: false, problem: { ...localProblem('validation_failed', issue?.message ?? 'Check what you typed.', 422), errors: request.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } };
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
 * A runtime.onMessage listener answering trusted senders. It answers through sendResponse
 * and `return true`, which Chrome, Firefox and the polyfill all honour.
 */
export function createListener(handlers: Handlers, trusted: (sender: Sender) => boolean) {
  return (message: unknown, sender: Sender, sendResponse: (answer: Answer) => void): boolean => {
    if (!trusted(sender)) return false;
    void dispatch(handlers, message).then(sendResponse);
    return true;
  };
}

/** Background side: answers messages from this extension's own pages only. */
export function listen(handlers: Handlers) {
  const origin = browser.runtime.getURL('/');
  browser.runtime.onMessage.addListener(createListener(handlers, (sender) => isTrustedSender(sender, browser.runtime.id, origin)));
}

/** Page side: sends a message and returns its data, or throws ApiError with the problem. */
export async function send<T extends MessageType>(type: T, payload: MessageRequest<T>): Promise<MessageResponse<T>> {
  const answer = (await browser.runtime.sendMessage({ type, payload } satisfies Envelope)) as Answer | undefined;
  if (!answer) throw new ApiError(localProblem('extension_error', 'The extension is restarting. Please try again.'));
  if (!answer.ok) throw new ApiError(answer.problem);
  return answer.data as MessageResponse<T>;
}
