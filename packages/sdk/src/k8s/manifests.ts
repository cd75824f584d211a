import { checkNumberOption, NON_NEGATIVE_INTEGER } from '../util/number-option.ts';
import * as yaml from 'js-yaml';
import { InputError } from '../errors.ts';

/**
 * Kubernetes objects for one model server: a Deployment (hardened pod, OIP V2 health probes, graceful
 * drain), a ClusterIP Service, and optionally a HorizontalPodAutoscaler and a PodDisruptionBudget.
 */
export interface DeploymentOptions {
  /** DNS-1123 label: lower-case letters, digits and '-', ≤ 63 characters. */
  name: string;
  namespace?: string;
  /** Image reference; a digest (`…@sha256:…`) pins exactly what was tested. */
  image: string;
  replicas?: number;
  /** Container port the server listens on (MLSHIP_PORT), default 8080. */
  port?: number;
  /** Requests/limits, e.g. { cpu: '500m', memory: '512Mi' }. */
  requests?: Record<string, string>;
  limits?: Record<string, string>;
  env?: Record<string, string>;
  /** Extra labels/annotations on every object (e.g. model name, version, sha256). */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Autoscale between min and max replicas on average CPU utilisation. */
  autoscale?: { minReplicas: number; maxReplicas: number; targetCpuPercent?: number };
  /** Keep at least this many pods during voluntary disruptions (omit for no PDB). */
  minAvailable?: number;
  /** Seconds the server gets to drain in-flight requests after SIGTERM (default 30). */
  terminationGracePeriodSeconds?: number;
  imagePullSecret?: string;
  serviceAccountName?: string;
}

/** The non-root user the mlship image runs as. */
export const MODEL_SERVER_UID = 65532;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function renderDeploymentObjects(o: DeploymentOptions): Array<Record<string, unknown>> {
  if (!DNS_LABEL.test(o.name) || o.name.length > 63) {
    throw new InputError(`Deployment name "${o.name}" is not a valid Kubernetes name: use lower-case letters, digits and '-', at most 63 characters, starting and ending with a letter or digit.`);
  }
  if (!o.image || /\s/.test(o.image)) throw new InputError(`Image reference "${o.image}" is empty or contains spaces.`);
  checkNumberOption('replicas', o.replicas, NON_NEGATIVE_INTEGER);
  checkNumberOption('min-available', o.minAvailable, NON_NEGATIVE_INTEGER);
  if (o.autoscale && (o.autoscale.minReplicas < 1 || o.autoscale.maxReplicas < o.autoscale.minReplicas)) {
    throw new InputError(`autoscale needs 1 ≤ min-replicas ≤ max-replicas, got ${o.autoscale.minReplicas}..${o.autoscale.maxReplicas}.`);
  }
  const port = o.port ?? 8080;
  const selector = { 'app.kubernetes.io/name': o.name, 'app.kubernetes.io/component': 'model-server' };
  const labels = { ...selector, 'app.kubernetes.io/managed-by': 'mlship', ...o.labels };
  const metadata = () => ({
    name: o.name,
    ...(o.namespace ? { namespace: o.namespace } : {}),
    labels,
    ...(o.annotations && Object.keys(o.annotations).length ? { annotations: o.annotations } : {}),
  });
  const probe = (path: string, extra: Record<string, number>) => ({
    httpGet: { path, port: 'http' }, periodSeconds: 5, timeoutSeconds: 2, ...extra,
  });
  const env = { MLSHIP_HOST: '0.0.0.0', MLSHIP_PORT: String(port), ...o.env };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(),
    spec: {
      ...(o.autoscale ? {} : { replicas: o.replicas ?? 2 }),
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector },
      // Never drop below the desired count while rolling: a new pod must be ready before an old one goes.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels, ...(o.annotations ? { annotations: o.annotations } : {}) },
        spec: {
          ...(o.serviceAccountName ? { serviceAccountName: o.serviceAccountName } : {}),
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: o.terminationGracePeriodSeconds ?? 30,
          ...(o.imagePullSecret ? { imagePullSecrets: [{ name: o.imagePullSecret }] } : {}),
          securityContext: {
            runAsNonRoot: true,
            runAsUser: MODEL_SERVER_UID,
            runAsGroup: MODEL_SERVER_UID,
            fsGroup: MODEL_SERVER_UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [{
            name: 'model-server',
            image: o.image,
            imagePullPolicy: 'IfNotPresent',
            ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
            env: Object.entries(env).map(([name, value]) => ({ name, value })),
            // Ready only after the model loaded and a golden row ran (the server's own rule).
            readinessProbe: probe('/v2/health/ready', { failureThreshold: 3 }),
            livenessProbe: probe('/v2/health/live', { failureThreshold: 6, periodSeconds: 10 }),
            startupProbe: probe('/v2/health/ready', { failureThreshold: 60, periodSeconds: 2 }),
            resources: {
              requests: o.requests ?? { cpu: '250m', memory: '256Mi' },
              limits: o.limits ?? { memory: '1Gi' },
            },
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
            },
            // The only writable path: node and onnxruntime may want a temp dir.
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          }],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(),
    spec: { type: 'ClusterIP', selector, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
  };
  const objects: Array<Record<string, unknown>> = [deployment, service];
  if (o.autoscale) {
    objects.push({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: metadata(),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: o.name },
        minReplicas: o.autoscale.minReplicas,
        maxReplicas: o.autoscale.maxReplicas,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: o.autoscale.targetCpuPercent ?? 70 } } }],
      },
    });
  }
  if (o.minAvailable !== undefined) {
    objects.push({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: metadata(),
      spec: { minAvailable: o.minAvailable, selector: { matchLabels: selector } },
    });
  }
  return objects;
}

/** A multi-document YAML stream (`---` between objects), keys in insertion order. */
export function toYamlStream(objects: Array<Record<string, unknown>>): string {
  return objects.map((obj) => yaml.dump(obj, { noRefs: true, lineWidth: 120, sortKeys: false })).join('---\n');
}
