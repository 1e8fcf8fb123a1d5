// Holds real responses to the OpenAPI document the Worker serves: every response a test makes
// through `checked` must be of a documented route, with a documented status and content type,
// and a JSON body the declared schema accepts (a JSON Schema 2020-12 validator, no eval).
import { Validator } from '@cfworker/json-schema';
import { expect } from 'vitest';
import { send } from './support';

type Media = { schema?: Record<string, unknown> };
type Operation = { responses: Record<string, { content?: Record<string, Media> }> };
export type Document = { paths: Record<string, Record<string, Operation>>; components: Record<string, unknown> };

export class Contract {
  /** `METHOD /template STATUS` of every checked response. */
  readonly seen = new Set<string>();
  private readonly templates: { template: string; pattern: RegExp; params: number }[];

  constructor(readonly doc: Document) {
    this.templates = Object.keys(doc.paths)
      .map((template) => ({
        template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        params: (template.match(/\{/g) ?? []).length,
      }))
      // A literal segment wins over a parameter, as the router does.
      .sort((a, b) => a.params - b.params);
  }

  operationOf(method: string, pathname: string) {
    for (const { template, pattern } of this.templates) {
      const op = pattern.test(pathname) ? this.doc.paths[template]![method.toLowerCase()] : undefined;
      if (op) return { template, op };
    }
    return null;
  }

  /** Fails unless the response is one the document declares for this request. */
  async check(method: string, path: string, response: Response): Promise<void> {
    const pathname = new URL(path, 'http://x').pathname;
    const found = this.operationOf(method, pathname);
    expect(found, `${method} ${pathname} is not in the document`).not.toBeNull();
    const { template, op } = found!;
    const where = `${method} ${template} → ${response.status}`;
    const declared = op.responses[String(response.status)];
    expect(declared, `${where}: status not declared`).toBeDefined();
    this.seen.add(`${method} ${template} ${response.status}`);
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    // A WebSocket upgrade has no body to read: the socket is the answer.
    if (response.status === 101) return;
    if (!declared!.content) {
      expect(await response.clone().text(), `${where}: declares no body`).toBe('');
      return;
    }
    const media = declared!.content[type];
    expect(media, `${where}: content type ${type || '(none)'} not declared (${Object.keys(declared!.content).join(', ')})`).toBeDefined();
    if (!/json$/.test(type)) return; // bytes or HTML: the declared media type is the contract
    const body = await response.clone().json();
    const validator = new Validator({ ...media!.schema, components: this.doc.components } as never, '2020-12', false);
    const result = validator.validate(body);
    expect(result.valid, `${where}: body does not match its schema: ${JSON.stringify(result.errors.slice(0, 4))}\n${JSON.stringify(body).slice(0, 400)}`).toBe(true);
  }

  /** `call`, then `check`. */
  async call(path: string, init: Parameters<typeof send>[1] = {}): Promise<Response> {
    const response = await send(path, { redirect: 'manual', ...init });
    await this.check(init.method ?? 'GET', path, response);
    return response;
  }

  /** Documented operations never seen answering with success (2xx or 3xx, or 101 for an upgrade). */
  unexercised(): string[] {
    const succeeded = [...this.seen].filter((key) => /\s([23]\d\d|101)$/.test(key)).map((key) => key.replace(/\s\d+$/, ''));
    return Object.entries(this.doc.paths).flatMap(([template, item]) =>
      Object.keys(item)
        .map((method) => `${method.toUpperCase()} ${template}`)
        .filter((key) => !succeeded.includes(key)),
    );
  }
}
