// Artefacts for users' Prometheus and Grafana: alert rules and a dashboard over the server's metrics.
export * from './rules.ts';
export * from './dashboard.ts';
export * from './render.ts';
export * from './exposition.ts';
