import { checkNumberOption, NON_NEGATIVE_INTEGER } from '../util/number-option.ts';
import * as yaml from 'js-yaml';
import { DEFAULT_DRAIN_TIMEOUT_MS, DEFAULT_SHUTDOWN_DELAY_MS } from '../server/config.ts';
import { InputError, opt } from '../errors.ts';

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
  /** Labels/annotations on the pods only (on top of `labels`/`annotations`), e.g. for a service mesh or cost tags. */
  podLabels?: Record<string, string>;
  podAnnotations?: Record<string, string>;
  /** Schedule the pods only on nodes with these labels. */
  nodeSelector?: Record<string, string>;
  /** Tolerations for tainted nodes (parseTolerations reads them from `key[=value]:Effect` text). */
  tolerations?: Toleration[];
  /** Autoscale between min and max replicas on average CPU utilisation. */
  autoscale?: { minReplicas: number; maxReplicas: number; targetCpuPercent?: number };
  /** Keep at least this many pods during voluntary disruptions (omit for no PDB). */
  minAvailable?: number;
  /** Seconds from the pod's deletion to SIGKILL (default DEFAULT_TERMINATION_GRACE_SECONDS: preStop + shutdown delay + drain + 5). */
  terminationGracePeriodSeconds?: number;
  /** Names of existing `kubernetes.io/dockerconfigjson` Secrets to pull the image with. */
  imagePullSecrets?: string[];
  serviceAccountName?: string;
}

/** A pod toleration (core/v1 Toleration). */
export interface Toleration {
  key?: string;
  operator: 'Equal' | 'Exists';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** The name of the Service's (and container's) port: the smoke test's service proxy goes to it. */
export const SERVICE_PORT_NAME = 'http';

/** Seconds a terminating pod keeps serving before SIGTERM, while it is taken out of the Service's endpoints. */
export const PRE_STOP_SLEEP_SECONDS = 5;

/**
 * The pod's default terminationGracePeriodSeconds: it covers the preStop sleep, then the server's own
 * shutdown delay and drain timeout (server/config.ts defaults), plus 5 s for the log flush and exit —
 * so kubelet's SIGKILL never cuts a drain the server was told it may take.
 */
export const DEFAULT_TERMINATION_GRACE_SECONDS = PRE_STOP_SLEEP_SECONDS + Math.ceil((DEFAULT_SHUTDOWN_DELAY_MS + DEFAULT_DRAIN_TIMEOUT_MS) / 1000) + 5;

/** The non-root user the mlship image runs as. */
export const MODEL_SERVER_UID = 65532;

/** Every mlship pod (model server, batch job): non-root as the image's user, the runtime's seccomp profile. */
export const POD_SECURITY_CONTEXT = {
  runAsNonRoot: true,
  runAsUser: MODEL_SERVER_UID,
  runAsGroup: MODEL_SERVER_UID,
  fsGroup: MODEL_SERVER_UID,
  seccompProfile: { type: 'RuntimeDefault' },
} as const;

/** Every mlship container: read-only root filesystem, no capabilities, no privilege escalation. */
export const CONTAINER_SECURITY_CONTEXT = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
} as const;

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Reads tolerations as `kubectl taint` writes taints: `key=value:Effect` (operator Equal),
 * `key:Effect` or `key` (operator Exists), comma- or newline-separated; `what` names the input.
 */
export function parseTolerations(text: string | undefined, what = opt('tolerations')): Toleration[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const effects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
  return text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean).map((item) => {
    const m = /^([A-Za-z0-9][-A-Za-z0-9_./]*)(?:=([-A-Za-z0-9_.]*))?(?::(\w+))?$/.exec(item);
    if (!m || (m[3] !== undefined && !effects.includes(m[3]))) {
      throw new InputError(`${what}: "${item}" is not key[=value][:Effect] with Effect one of ${effects.join(', ')} (example: gpu=true:NoSchedule).`);
    }
    return {
      key: m[1]!,
      operator: m[2] === undefined ? 'Exists' : 'Equal',
      ...(m[2] !== undefined ? { value: m[2] } : {}),
      ...(m[3] ? { effect: m[3] as Toleration['effect'] } : {}),
    };
  });
}

/** `kubectl get -o name` style names of rendered objects: `deployment.apps/iris-rf`, `service/iris-rf`. */
export function objectNames(objects: Array<Record<string, unknown>>): string[] {
  return objects.map((obj) => {
    const apiVersion = String(obj.apiVersion);
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    const name = (obj.metadata as { name?: string } | undefined)?.name;
    return `${String(obj.kind).toLowerCase()}${group ? `.${group}` : ''}/${name}`;
  });
}

/** The container's resource requests unless the caller sets them. */
export const DEFAULT_REQUESTS: Readonly<Record<string, string>> = { cpu: '250m', memory: '256Mi' };

/**
 * A Kubernetes CPU quantity in cores: `250m` → 0.25, `2` → 2, `1.5` → 1.5 (the forms resource
 * requirements take; api/resource Quantity). InputError naming `where` otherwise.
 */
export function parseCpuQuantity(quantity: string, where: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)(m?)\s*$/.exec(quantity);
  if (!m || Number(m[1]) <= 0) throw new InputError(`${where} "${quantity}" is not a CPU quantity; write cores (1, 1.5) or millicores (500m).`);
  return Number(m[1]) / (m[2] ? 1000 : 1);
}

/**
 * MLSHIP_WORKERS for the pod (server processes, server/workers.ts): the CPU limit rounded up, else
 * the CPU request rounded up, at least 1. With a limit the server would find the same number in its
 * cgroup's cpu.max; without one it would see every core of the node, and start that many workers
 * (each with its own copy of the model) in a pod sized for its request.
 */
export function serverWorkers(limits: Record<string, string> | undefined, requests: Record<string, string> | undefined): number {
  const cpu = limits?.cpu !== undefined ? parseCpuQuantity(limits.cpu, 'limits.cpu') : requests?.cpu !== undefined ? parseCpuQuantity(requests.cpu, 'requests.cpu') : 1;
  return Math.max(1, Math.ceil(cpu - 1e-9));
}

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
  const env = { MLSHIP_HOST: '0.0.0.0', MLSHIP_PORT: String(port), MLSHIP_WORKERS: String(serverWorkers(o.limits, o.requests ?? DEFAULT_REQUESTS)), ...o.env };
  const podAnnotations = o.annotations || o.podAnnotations ? { ...o.annotations, ...o.podAnnotations } : undefined;
  for (const key of Object.keys(o.podLabels ?? {})) {
    if (key in selector) throw new InputError(`pod label ${key} is set by mlship (the Service selects pods with it); choose another key.`);
  }
  if (o.serviceAccountName !== undefined && !DNS_SUBDOMAIN.test(o.serviceAccountName)) {
    throw new InputError(`service account "${o.serviceAccountName}" is not a valid Kubernetes name (lower-case letters, digits, '-' and '.').`);
  }
  for (const secret of o.imagePullSecrets ?? []) {
    if (!DNS_SUBDOMAIN.test(secret)) throw new InputError(`image pull secret "${secret}" is not a valid Kubernetes name (lower-case letters, digits, '-' and '.').`);
  }
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
        metadata: { labels: { ...o.podLabels, ...labels }, ...(podAnnotations ? { annotations: podAnnotations } : {}) },
        spec: {
          ...(o.serviceAccountName ? { serviceAccountName: o.serviceAccountName } : {}),
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: o.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS,
          ...(o.imagePullSecrets?.length ? { imagePullSecrets: o.imagePullSecrets.map((name) => ({ name })) } : {}),
          ...(o.nodeSelector && Object.keys(o.nodeSelector).length ? { nodeSelector: o.nodeSelector } : {}),
          ...(o.tolerations?.length ? { tolerations: o.tolerations } : {}),
          securityContext: structuredClone(POD_SECURITY_CONTEXT),
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
            // Endpoints drop a terminating pod a moment after it gets SIGTERM: keep serving that long
            // (kubelet's own sleep, no binary needed in the image), then the server drains.
            lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SLEEP_SECONDS } } },
            resources: {
              requests: o.requests ?? DEFAULT_REQUESTS,
              limits: o.limits ?? { memory: '1Gi' },
            },
            securityContext: structuredClone(CONTAINER_SECURITY_CONTEXT),
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
    spec: { type: 'ClusterIP', selector, ports: [{ name: SERVICE_PORT_NAME, port: 80, targetPort: 'http', protocol: 'TCP' }] },
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
