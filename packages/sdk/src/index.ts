// @mlship/sdk — all of mlship's logic, by domain. The CLI, the actions and the model server are thin
// layers over these exports. Only ./github imports @actions/*.
export * from './version.ts';
export * from './errors.ts';
export * from './log.ts';
export * from './data/cell.ts';
export * from './data/csv.ts';
export * from './data/labelled-table.ts';
export * from './model/onnxruntime.ts';
export * from './model/signature.ts';
export * from './model/onnx-model.ts';
export * from './util/atomic-write.ts';
export * from './util/hash.ts';
export * from './util/process.ts';
export * from './util/number-option.ts';
export * from './metrics/index.ts';
export * from './evaluate/index.ts';
export * from './k8s/index.ts';
export * from './oci/index.ts';
export * from './model/onnx-proto.ts';
export * from './util/tar.ts';
export * from './compare/index.ts';
export * from './package/index.ts';
export * from './serialize/index.ts';
export * from './server/index.ts';
export * from './smoke/index.ts';
export * from './image/index.ts';
export * from './drift/index.ts';
