import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { reconcileClassLabels, type ClassLabel } from '../model/class-labels.ts';
import { readOnnxModelInfo } from '../model/onnx-proto.ts';
import { MANIFEST_FILE, parseManifest } from '../package/manifest.ts';

/**
 * A classifier's classes in probability-column order, as evaluate compares them with the target: the
 * ONNX classifier's own labels (classlabels_*: scikit-learn's classes_); when the file is a package's
 * model (mlship.json beside it names it), the package's class labels — the names `serialize
 * --class-labels` gave index labels 0…K−1 (model/class-labels.ts reconcileClassLabels). Undefined when
 * neither says (a torch export: the caller uses 0…K−1 of its probability columns).
 */
export async function modelClassLabels(modelPath: string): Promise<ClassLabel[] | undefined> {
  const onnx = (await readOnnxModelInfo(modelPath)).classLabels;
  const manifestPath = join(dirname(modelPath), MANIFEST_FILE);
  let text: string | undefined;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch {
    text = undefined;
  }
  const manifest = text === undefined ? undefined : parseManifest(text, manifestPath);
  const declared = manifest && manifest.model === basename(modelPath) ? manifest.classLabels : undefined;
  return reconcileClassLabels(onnx, declared, { declaredBy: `${manifestPath} classLabels`, modelPath, mayNameIndices: true });
}
