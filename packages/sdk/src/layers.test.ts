// The SDK's layers only point down (STYLE.md, "Layers only point down"): every relative import in
// packages/sdk/src is parsed, mapped to its domain, and must go to a domain of the same or a lower
// layer; and no two domains may import each other, directly or round a longer loop.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = import.meta.dirname;

/**
 * Layer of each domain (folder under src/; `.` is the files at the root — errors, log, version — and
 * `index` the root index.ts, which re-exports every domain).
 */
const LAYERS: Record<string, number> = {
  '.': 0, util: 0, data: 0, metrics: 0, model: 0, oci: 0, compare: 0,
  package: 1,
  serialize: 2, evaluate: 2, drift: 2, server: 2, smoke: 2, image: 2, k8s: 2, monitoring: 2, batch: 2,
  delivery: 3,
  github: 3,
  index: 4,
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const domainOf = (file: string) => {
  const rel = relative(SRC, file).split(sep);
  if (rel.length === 1) return rel[0] === 'index.ts' ? 'index' : '.';
  return rel[0]!;
};

/** `import … from './x.ts'`, `export … from`, `import('./x.ts')` and `import type` — relative only. */
export function relativeImports(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)) found.push(m[1]!);
  return found;
}

const edges: Array<{ from: string; to: string; file: string; spec: string }> = [];
for (const file of sources(SRC)) {
  const text = readFileSync(file, 'utf8');
  for (const spec of relativeImports(text)) {
    const target = resolve(dirname(file), spec);
    edges.push({ from: domainOf(file), to: relative(SRC, target).startsWith('..') ? '(outside src)' : domainOf(target), file: relative(SRC, file), spec });
  }
}

describe('SDK layering', () => {
  it('parses imports of every form', () => {
    expect(relativeImports(`import { a } from './a.ts';\nimport type { B } from "../b/b.ts";\nexport * from './c.ts';\nconst d = await import('./d.ts');\nimport './e.ts';\nimport x from 'node:fs';`))
      .toEqual(['./a.ts', '../b/b.ts', './c.ts', './d.ts', './e.ts']);
    expect(edges.length).toBeGreaterThan(200);
  });

  it('every domain has a layer and no import leaves src', () => {
    const unknown = [...new Set(edges.flatMap((e) => [e.from, e.to]))].filter((d) => !(d in LAYERS));
    expect(unknown).toEqual([]);
  });

  it('no lower domain imports a higher one', () => {
    const up = edges.filter((e) => e.from !== e.to && LAYERS[e.from]! < LAYERS[e.to]!).map((e) => `${e.file} → ${e.spec} (${e.from} ${LAYERS[e.from]} imports ${e.to} ${LAYERS[e.to]})`);
    expect(up).toEqual([]);
  });

  it('only the GitHub adapter imports @actions/*', () => {
    const outside = sources(SRC).filter((f) => domainOf(f) !== 'github' && /from\s*['"]@actions\//.test(readFileSync(f, 'utf8')));
    expect(outside.map((f) => relative(SRC, f))).toEqual([]);
  });

  it('no cycle between domains', () => {
    const graph = new Map<string, Set<string>>();
    for (const e of edges) if (e.from !== e.to) (graph.get(e.from) ?? graph.set(e.from, new Set()).get(e.from)!).add(e.to);
    const cycles: string[] = [];
    const walk = (node: string, path: string[]) => {
      for (const next of graph.get(node) ?? []) {
        if (next === path[0]) cycles.push([...path, next].join(' → '));
        else if (!path.includes(next) && next > path[0]!) walk(next, [...path, next]);
      }
    };
    for (const start of graph.keys()) walk(start, [start]);
    expect(cycles).toEqual([]);
  });
});
