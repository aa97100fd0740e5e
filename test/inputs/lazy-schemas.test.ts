// domain/lazy.ts: module-level schemas are built on first use, so a workflow's creation (which evaluates every
// module of the workflow code) builds none of them (bench/README.md, bench:workflow-memory).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { lazy, realize } from '../../domain/lazy';
import { reportContentSchema } from '../../workflows/report';
import { submitPlanInputSchema } from '../../workflows/messages';

describe('lazy', () => {
  it('builds its schema on first use, once, and stands for it in every use', () => {
    let builds = 0;
    const unit = lazy(() => {
      builds++;
      return z.strictObject({ id: z.string().min(1).max(4), count: z.number().int() });
    });
    const pair = lazy(() => z.strictObject({ a: unit, list: z.array(unit).max(2) }));
    expect(builds).toBe(0);

    expect(pair.safeParse({ a: { id: 'R', count: 1 }, list: [] }).success).toBe(true);
    expect(builds).toBe(1);
    expect(pair.safeParse({ a: { id: 'too long', count: 1.5 }, list: [] }).error?.issues.map((i) => i.path.join('.'))).toEqual(['a.id', 'a.count']);
    expect(unit).toBeInstanceOf(z.ZodObject);
    expect(Object.keys(unit.shape)).toEqual(['id', 'count']);
    expect(unit.extend({ note: z.string() }).parse({ id: 'G1', count: 0, note: 'Bắc Ninh' })).toEqual({ id: 'G1', count: 0, note: 'Bắc Ninh' });
    expect(z.strictObject({ u: unit }).parse({ u: { id: 'I1', count: 2 } })).toEqual({ u: { id: 'I1', count: 2 } });
    expect(builds).toBe(1);
  });

  // zod's JSON Schema generator keys what it has seen by schema object: a stand-in nested in a schema built
  // eagerly (as the web app's API schemas are) must be replaced by its schema first
  it('gives the JSON Schema generator real schemas once realized, through the whole graph', () => {
    const text = lazy(() => z.string().pipe(z.string().trim().min(1)));
    const body = z.strictObject({ note: text, items: z.array(lazy(() => z.strictObject({ name: text }))).optional() });
    expect(() => z.toJSONSchema(body, { io: 'input' })).toThrow();
    const json = z.toJSONSchema(realize(body), { io: 'input' }) as { properties: Record<string, { type?: string }> };
    expect(json.properties.note?.type).toBe('string');
    expect(json.properties.items?.type).toBe('array');
    for (const schema of [reportContentSchema, submitPlanInputSchema]) expect((z.toJSONSchema(realize(schema), { io: 'input', unrepresentable: 'any' }) as { type?: string }).type).toBe('object');
  });
});

// Every top-level `const` of workflows/ and domain/ whose value is a zod schema (or an object of them, as a
// schema factory returns) is lazy: one written eagerly would put its cost back into every workflow's creation.
describe('module-level schemas of workflows/ and domain/', () => {
  it('are all lazy', { timeout: 120_000 }, () => {
    const root = join(__dirname, '..', '..');
    const files = ['workflows', 'domain'].flatMap((dir) =>
      readdirSync(join(root, dir))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(root, dir, f)),
    );
    const program = ts.createProgram(files, { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, skipLibCheck: true });
    const checker = program.getTypeChecker();
    const isSchema = (t: ts.Type) => t.getProperty('_zod') !== undefined;
    const isSchemaBag = (t: ts.Type) => t.getProperties().length > 0 && t.getProperties().every((p) => isSchema(checker.getTypeOfSymbol(p)));
    const eager: string[] = [];
    let lazyCount = 0;
    for (const file of files) {
      const source = program.getSourceFile(file)!;
      for (const statement of source.statements) {
        if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
        for (const d of statement.declarationList.declarations) {
          const init = d.initializer;
          // an alias of another const is as lazy as what it names
          if (!init || ts.isArrowFunction(init) || ts.isFunctionExpression(init) || ts.isIdentifier(init)) continue;
          const type = checker.getTypeAtLocation(d.name);
          if (!isSchema(type) && !isSchemaBag(type)) continue;
          const isLazy = ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'lazy';
          if (isLazy) lazyCount++;
          else eager.push(`${file.slice(root.length + 1)}: ${d.name.getText(source)}`);
        }
      }
    }
    expect(eager).toEqual([]);
    expect(lazyCount).toBeGreaterThanOrEqual(80);
  });
});
