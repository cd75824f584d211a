// The HTML drift report in a real headless Chromium (Debian `chromium`, installed by scripts/setup.sh):
// the screenshot must show the verdict banner and the histogram overlays (reference grey, current
// orange). A 50-column report stays under 1 MB and loads nothing from the network.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDriftReport } from '../../packages/sdk/src/drift/run.ts';
import { REPO_ROOT } from '../harness/run-action.ts';

const CHROMIUM = '/usr/bin/chromium';
const DRIFT = join(REPO_ROOT, 'test', 'fixtures', 'drift');
let dir: string;

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'mlship-drift-html-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

/** Decodes an 8-bit RGB/RGBA non-interlaced PNG (what Chromium writes) into RGBA pixels. */
function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let pos = 8;
  let width = 0, height = 0, colorType = 0;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      expect([data[8], data[12]]).toEqual([8, 0]);
      colorType = data[9]!;
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = new Uint8Array(width * height * 4);
  const prev = new Uint8Array(stride);
  const cur = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? cur[x - bpp]! : 0;
      const b = prev[x]!;
      const c = x >= bpp ? prev[x - bpp]! : 0;
      let v = line[x]!;
      if (f === 1) v += a; else if (f === 2) v += b; else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) { const p = a + b - c; const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c); v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c; }
      cur[x] = v & 255;
    }
    for (let x = 0; x < width; x++) {
      out.set([cur[x * bpp]!, cur[x * bpp + 1]!, cur[x * bpp + 2]!, bpp === 4 ? cur[x * bpp + 3]! : 255], (y * width + x) * 4);
    }
    prev.set(cur);
  }
  return { width, height, rgba: out };
}

async function screenshot(html: string, png: string): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`npm run setup\` (scripts/apt-packages.txt installs chromium).`);
  await promisify(execFile)(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'chrome-profile')}`, `--screenshot=${png}`, '--window-size=1200,1600', `file://${html}`], { timeout: 90_000 });
}

describe('HTML drift report', () => {
  it('renders in headless Chromium: verdict banner, table and histogram overlays are on screen', async () => {
    const html = join(dir, 'report.html');
    await runDriftReport({ reference: join(DRIFT, 'diabetes', 'reference.csv'), current: join(DRIFT, 'diabetes', 'current_new_category.csv'), html });
    const png = join(dir, 'report.png');
    await screenshot(html, png);
    const { width, height, rgba } = decodePng(await readFile(png));
    expect([width, height]).toEqual([1200, 1600]);
    let orange = 0, grey = 0, white = 0, dark = 0;
    for (let i = 0; i < rgba.length; i += 4) {
      const [r, g, b] = [rgba[i]!, rgba[i + 1]!, rgba[i + 2]!];
      if (r > 240 && g > 240 && b > 240) white++;
      else if (r < 80 && g < 80 && b < 80) dark++; // text
      else if (r > 220 && g > 120 && g < 190 && b < 120) orange++; // current bars (#fb8f44 on white)
      else if (Math.abs(r - g) < 12 && Math.abs(g - b) < 14 && r > 170 && r < 215) grey++; // reference bars
    }
    const total = width * height;
    expect(white / total).toBeLessThan(0.95); // not a blank page
    expect(dark).toBeGreaterThan(5000); // text rendered
    expect(orange).toBeGreaterThan(2000); // current histograms
    expect(grey).toBeGreaterThan(2000); // reference histograms
  });

  it('50 columns stay under 1 MB, standalone (no external URL)', async () => {
    const header = Array.from({ length: 50 }, (_, j) => `c${j}`).join(',');
    const row = (i: number, shift: number) => Array.from({ length: 50 }, (_, j) => (Math.sin(i * 12.9898 + j * 78.233) * 43758.5453 % 1 + shift * (j % 3)).toFixed(6)).join(',');
    await writeFile(join(dir, 'ref50.csv'), `${header}\n${Array.from({ length: 2000 }, (_, i) => row(i, 0)).join('\n')}\n`);
    await writeFile(join(dir, 'cur50.csv'), `${header}\n${Array.from({ length: 2000 }, (_, i) => row(i + 7, 0.2)).join('\n')}\n`);
    const html = join(dir, 'r50.html');
    const { report } = await runDriftReport({ reference: join(dir, 'ref50.csv'), current: join(dir, 'cur50.csv'), html });
    expect(Object.keys(report.columns)).toHaveLength(50);
    const size = (await stat(html)).size;
    expect(size).toBeLessThan(1 << 20);
    const text = await readFile(html, 'utf8');
    expect(text.match(/<svg /g)).toHaveLength(50);
    expect(text).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});
