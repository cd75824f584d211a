// compare: a model's outputs against reference outputs, row by row (parity gate, golden rows, smoke test).
export * from './outputs.ts';
export * from './table.ts';
