// serialize: a model (ONNX, scikit-learn, PyTorch) → a verified model package, with the parity gate.
export * from './converter.ts';
export * from './features.ts';
export * from './serialize.ts';
export * from './report.ts';
export * from './class-labels.ts';
