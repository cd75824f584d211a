import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { InputError, opt } from '../errors.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { dashboardConfigMap, grafanaDashboard } from './dashboard.ts';
import { prometheusRule, rulesFile, type MonitoringOptions } from './rules.ts';

/** What can be rendered: alert rules (a rules file and a PrometheusRule) and the Grafana dashboard (JSON and ConfigMap). */
export const MONITORING_PARTS = ['rules', 'dashboard'] as const;
export type MonitoringPart = (typeof MONITORING_PARTS)[number];

/** Parses `rules,dashboard` (comma or newline separated; empty or `none` = nothing). */
export function parseMonitoringParts(text: string | undefined): MonitoringPart[] {
  if (text === undefined) return [];
  const items = text.split(/[\n,]/).map((s) => s.trim()).filter((s) => s !== '' && s !== 'none');
  for (const item of items) {
    if (!(MONITORING_PARTS as readonly string[]).includes(item)) {
      throw new InputError(`${opt('monitoring')}: "${item}" is not one of ${MONITORING_PARTS.join(', ')}; write e.g. "rules,dashboard".`);
    }
  }
  return [...new Set(items as MonitoringPart[])];
}

export interface RenderMonitoringOptions extends MonitoringOptions {
  parts: MonitoringPart[];
  outDir: string;
}

/** Paths written, by artefact. */
export interface RenderMonitoringResult {
  rulesFile?: string;
  prometheusRule?: string;
  dashboard?: string;
  dashboardConfigMap?: string;
}

const dump = (obj: Record<string, unknown>) => yaml.dump(obj, { noRefs: true, lineWidth: -1, sortKeys: false });

/**
 * Writes the requested artefacts into `outDir`: `NAME.rules.yml` (plain Prometheus rules file),
 * `NAME.prometheusrule.yaml` (prometheus-operator), `NAME.dashboard.json` (Grafana import) and
 * `NAME.dashboard.configmap.yaml` (Grafana sidecar). Everything is rendered before anything is written.
 */
export async function renderMonitoring(o: RenderMonitoringOptions): Promise<RenderMonitoringResult> {
  const files: Array<[keyof RenderMonitoringResult, string, string]> = [];
  if (o.parts.includes('rules')) {
    files.push(['rulesFile', `${o.name}.rules.yml`, dump(rulesFile(o))]);
    files.push(['prometheusRule', `${o.name}.prometheusrule.yaml`, dump(prometheusRule(o))]);
  }
  if (o.parts.includes('dashboard')) {
    files.push(['dashboard', `${o.name}.dashboard.json`, `${JSON.stringify(grafanaDashboard(o), null, 2)}\n`]);
    files.push(['dashboardConfigMap', `${o.name}.dashboard.configmap.yaml`, dump(dashboardConfigMap(o))]);
  }
  const result: RenderMonitoringResult = {};
  for (const [key, file, text] of files) {
    const path = join(o.outDir, file);
    await writeFileAtomic(path, text);
    result[key] = path;
  }
  return result;
}
