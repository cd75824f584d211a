import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { readOnnxModelInfo } from '../model/onnx-proto.ts';
import { loadPackage } from '../package/loader.ts';
import { modelSha256 } from '../package/manifest.ts';
import { servingSessionOptions, type ServedModelOptions } from './served-model.ts';

/**
 * What `mlship serve PATH` serves: a model package (directory or .tar.gz, verified by loadPackage:
 * hashes, signature, opsets) or, for convenience, a bare .onnx file (served as `<file name>` version
 * `1`, with the class labels the ONNX classifier carries, without feature names or golden rows:
 * /predict then takes rows as arrays only).
 * The golden rows are run later on the serving session itself, before the server turns ready.
 */
export async function servedModelFrom(path: string, options: { name?: string; logger?: Logger; intraOpThreads?: number } = {}): Promise<ServedModelOptions & {
  /** Removes the copy a .tar.gz was extracted to (call when the server stops); absent for a directory or .onnx. */
  cleanup?: () => Promise<void>;
}> {
  const logger = options.logger ?? silentLogger;
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new InputError(`${path} does not exist; pass a model package (directory or .tar.gz from mlship serialize) or an .onnx file.`);
  }
  if (st.isFile() && path.toLowerCase().endsWith('.onnx')) {
    const name = options.name ?? modelNameFromFile(path);
    // The model's own class labels (its classifier's classlabels_*), so /predict and OIP agree.
    const classLabels = (await readOnnxModelInfo(path)).classLabels;
    return { modelPath: path, name, version: '1', ...(classLabels ? { classLabels } : {}) };
  }
  // The package is verified on the session the server will serve with (same options), so the model
  // file is hashed and loaded once.
  const intraOpThreads = options.intraOpThreads ?? 1;
  const pkg = await loadPackage(path, { logger, checkGolden: false, sessionOptions: servingSessionOptions(intraOpThreads) });
  const m = pkg.manifest;
  return {
    modelPath: pkg.modelPath,
    name: options.name ?? m.name,
    version: m.version,
    sha256: modelSha256(m),
    featureNames: m.featureNames,
    inputMap: Object.fromEntries(m.inputs.map((i) => [i.name, i.columns])),
    allowMissing: m.allowMissing,
    classLabels: m.classLabels,
    task: m.task,
    outputRoles: m.outputRoles,
    golden: m.golden,
    ...(m.monitoring ? { monitoring: m.monitoring } : {}),
    intraOpThreads,
    preloaded: { model: pkg.model, intraOpThreads },
    ...(pkg.archivePath ? { cleanup: () => pkg.cleanup() } : {}),
  };
}

/** `models/Iris RF.onnx` → `iris-rf`: a URL-safe model name. */
export function modelNameFromFile(path: string): string {
  const stem = basename(path).replace(/\.onnx$/i, '');
  const name = stem.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-._]+|[-._]+$/g, '');
  return name || 'model';
}
