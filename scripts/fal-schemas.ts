// JSON Schemas of the fal endpoints the studio calls, read from the endpoint types that
// @fal-ai/client publishes (src/types/endpoints.d.ts) with the TypeScript compiler. The fal
// fake (test/fakes/fal.ts) validates every input against them and checks its own outputs, so a
// catalog typo or a renamed field fails a test. `node scripts/fal-schemas.ts` rewrites
// test/fakes/fal-endpoints.json; test/shared/fal-schemas.test.ts fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { extraRoutes } from '../shared/catalog/extras.ts';
import { builtInModels } from '../shared/catalog/models.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const schemaFile = join(root, 'test', 'fakes', 'fal-endpoints.json');

/** The Style adapter's endpoints (edge/providers/fal.ts: FAL_TRAINING_ENDPOINT, FAL_LORA_ENDPOINT). */
const styleEndpoints = ['fal-ai/flux-lora-fast-training', 'fal-ai/flux-lora'];

/** Every fal endpoint the catalog routes to, edits' per-operation endpoints included. */
export function falEndpoints(): string[] {
  const routes = [...builtInModels.flatMap((m) => m.providers), ...Object.values(extraRoutes).flat()].filter((r) => r.id === 'fal');
  const ids = routes.flatMap((r) => [r.endpoint, ...Object.values((r.options?.operations ?? {}) as Record<string, string>)]);
  return [...new Set([...ids, ...styleEndpoints])].sort();
}

type Schema = Record<string, unknown>;

/** Converts one type to JSON Schema. Inputs drop Blob/File (the client uploads those and sends a URL). */
function toSchema(checker: ts.TypeChecker, type: ts.Type, side: 'input' | 'output', depth = 0): Schema {
  if (depth > 8) return {};
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
  if (type.flags & ts.TypeFlags.Null) return { type: 'null' };
  if (type.isUnion()) {
    const parts = type.types.filter((t) => !(t.flags & ts.TypeFlags.Undefined) && !(side === 'input' && isUpload(t)));
    const literals = parts.filter((t): t is ts.LiteralType => t.isStringLiteral() || t.isNumberLiteral());
    // `boolean` is the union true | false.
    if (parts.length > 0 && parts.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return { type: 'boolean' };
    const others = parts.filter((t) => !literals.includes(t as ts.LiteralType));
    const schemas: Schema[] = others.map((t) => toSchema(checker, t, side, depth + 1));
    if (literals.length) schemas.push({ enum: literals.map((t) => t.value) });
    const unique = [...new Map(schemas.map((s) => [JSON.stringify(s), s])).values()];
    return unique.length === 1 ? unique[0]! : { anyOf: unique };
  }
  if (type.isStringLiteral() || type.isNumberLiteral()) return { const: type.value };
  if (type.flags & ts.TypeFlags.StringLike) return { type: 'string' };
  if (type.flags & ts.TypeFlags.NumberLike) return { type: 'number' };
  if (type.flags & ts.TypeFlags.BooleanLike) return { type: 'boolean' };
  if (checker.isArrayType(type)) {
    const [item] = checker.getTypeArguments(type as ts.TypeReference);
    return { type: 'array', items: item ? toSchema(checker, item, side, depth + 1) : {} };
  }
  if (type.flags & ts.TypeFlags.Object) {
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const symbol of checker.getPropertiesOfType(type)) {
      const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
      if (!declaration) continue;
      properties[symbol.name] = toSchema(checker, checker.getTypeOfSymbolAtLocation(symbol, declaration), side, depth + 1);
      if (!(symbol.flags & ts.SymbolFlags.Optional)) required.push(symbol.name);
    }
    // An index signature (Record<string, …>) takes any key.
    if (checker.getIndexInfosOfType(type).length) return { type: 'object' };
    return { type: 'object', properties, required, additionalProperties: false };
  }
  return {};
}

/** DOM Blob or the client's File: what its storage turns into a URL before sending. */
function isUpload(type: ts.Type): boolean {
  const name = type.aliasSymbol?.name ?? type.getSymbol()?.name;
  return name === 'Blob' || name === 'File';
}

export function falSchemas(endpoints = falEndpoints()): Record<string, { input: Schema; output: Schema }> {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@fal-ai/client/endpoints').replace(/\.js$/, '.d.ts');
  const program = ts.createProgram([file], { noEmit: true, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], skipLibCheck: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const map = source.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'EndpointTypeMap');
  if (!map) throw new Error('EndpointTypeMap not found in @fal-ai/client’s endpoint types');
  const mapType = checker.getTypeAtLocation(map.name);
  const result: Record<string, { input: Schema; output: Schema }> = {};
  for (const endpoint of endpoints) {
    const entry = mapType.getProperty(endpoint);
    if (!entry) throw new Error(`@fal-ai/client publishes no endpoint ${endpoint}`);
    const entryType = checker.getTypeOfSymbolAtLocation(entry, map);
    const part = (name: 'input' | 'output') => toSchema(checker, checker.getTypeOfSymbolAtLocation(entryType.getProperty(name)!, map), name);
    result[endpoint] = { input: part('input'), output: part('output') };
  }
  return result;
}

export const render = (schemas: ReturnType<typeof falSchemas>) => `${JSON.stringify(schemas, null, 1)}\n`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = render(falSchemas());
  const before = (() => {
    try {
      return readFileSync(schemaFile, 'utf8');
    } catch {
      return '';
    }
  })();
  writeFileSync(schemaFile, text);
  console.log(before === text ? 'fal endpoint schemas unchanged' : `wrote ${schemaFile}`);
}
