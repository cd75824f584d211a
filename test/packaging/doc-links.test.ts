// Every relative link in the Markdown docs (docs/, the action READMEs, example-repo, workflows-templates,
// bench) points at a file that exists, resolved from the page's own folder as GitHub resolves it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/run-action.ts';

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.') ? [] : markdownFiles(p);
    return e.name.endsWith('.md') ? [p] : [];
  });
}

/** The targets of `[text](target)` links that are neither URLs nor in-page anchors, without their #anchor. */
function relativeLinks(text: string): string[] {
  const out: string[] = [];
  const noCode = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  for (const m of noCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    out.push(decodeURI(target.split('#')[0]!));
  }
  return out;
}

const ROOTS = ['docs', 'actions', 'example-repo', 'workflows-templates', 'bench'].map((d) => join(REPO_ROOT, d)).filter(existsSync);

describe('documentation links', () => {
  it('reads links, skipping URLs, anchors and code', () => {
    expect(relativeLinks('[a](metrics.md) [b](../bench/README.md#serve) [c](https://x.y/z) [d](#top) `[e](no.md)`')).toEqual(['metrics.md', '../bench/README.md']);
  });

  it('every relative link resolves to a file from the page\'s folder', () => {
    const broken: string[] = [];
    for (const file of [join(REPO_ROOT, 'README.md'), join(REPO_ROOT, 'CONTRIBUTING.md'), ...ROOTS.flatMap(markdownFiles)]) {
      for (const link of relativeLinks(readFileSync(file, 'utf8'))) {
        if (!existsSync(resolve(dirname(file), link))) broken.push(`${relative(REPO_ROOT, file)}: ${link}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
