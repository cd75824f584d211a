// The GitHub adapter: the only part of the SDK that imports @actions/*. Actions import from here.
export * from './action-logger.ts';
export * from './context.ts';
export * from './inputs.ts';
export * from './outputs.ts';
export * from './run-action.ts';
export * from './sticky-comment.ts';
export * from './drift-issue.ts';
export * from './action-outputs.ts';
