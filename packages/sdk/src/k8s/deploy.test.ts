import { describe, expect, it } from 'vitest';
import { describePodProblems, pullSecretName, renderPullSecret } from './deploy.ts';
import { kubeconfigSecrets, resolveKubeconfigSource } from './kubeconfig.ts';
import { parseProxyAddress, parseServiceRef, proxyArgs, serviceProxyPath } from './service-proxy.ts';

describe('kubeconfig source', () => {
  it('uses the given content, and in CI refuses an empty one unless the runner\'s kubeconfig is asked for', () => {
    expect(resolveKubeconfigSource({ content: 'apiVersion: v1', ci: true })).toBe('content');
    expect(resolveKubeconfigSource({ ci: false })).toBe('machine');
    expect(resolveKubeconfigSource({ ci: true, useMachineKubeconfig: true })).toBe('machine');
    expect(resolveKubeconfigSource({ ci: true, needed: false })).toBe('machine');
    expect(() => resolveKubeconfigSource({ content: '  ', ci: true })).toThrow(/--kubeconfig is empty: pass the cluster's kubeconfig from a secret .*secrets\.KUBECONFIG.*--use-runner-kubeconfig to true/);
    expect(() => resolveKubeconfigSource({ content: 'x: y', ci: true, useMachineKubeconfig: true })).toThrow(/not both/);
  });

  it('masks the whole kubeconfig and each credential value', () => {
    expect(kubeconfigSecrets('users:\n- user:\n    token: abcdef123\n    client-key-data: S0VZ\n')).toEqual(['users:\n- user:\n    token: abcdef123\n    client-key-data: S0VZ\n', 'abcdef123', 'S0VZ']);
  });
});

describe('service proxy', () => {
  it('parses NAMESPACE/NAME[:PORT] and builds the API server proxy path', () => {
    expect(parseServiceRef('models/iris-rf')).toEqual({ namespace: 'models', name: 'iris-rf', port: 'http' });
    expect(serviceProxyPath(parseServiceRef('models/iris-rf:8080'))).toBe('/api/v1/namespaces/models/services/iris-rf:8080/proxy');
    expect(() => parseServiceRef('iris-rf', 'service')).toThrow(/service: "iris-rf" is not NAMESPACE\/NAME/);
    expect(() => parseServiceRef('Models/iris')).toThrow(/not NAMESPACE\/NAME/);
  });

  it('runs kubectl proxy on a free loopback port and reads the address it prints', () => {
    expect(proxyArgs({ kubeconfig: '/k', namespace: 'ignored' })).toEqual(['--kubeconfig', '/k', 'proxy', '--address=127.0.0.1', '--port=0', '--accept-hosts=^127\\.0\\.0\\.1$']);
    // kubectl 1.34's line, captured from `kubectl proxy --port=0`.
    expect(parseProxyAddress('Starting to serve on 127.0.0.1:40123\n')).toBe('http://127.0.0.1:40123');
    expect(parseProxyAddress('')).toBeUndefined();
  });
});

describe('image pull secret', () => {
  it('is a dockerconfigjson Secret for the image\'s registry (Docker Hub under its v1 index URL)', () => {
    const s = renderPullSecret('iris', 'models', 'ghcr.io/octo/iris@sha256:' + 'a'.repeat(64), { username: 'octo', password: 'ghp_x' }) as Record<string, any>;
    expect(s.metadata.name).toBe(pullSecretName('iris'));
    expect(s.type).toBe('kubernetes.io/dockerconfigjson');
    const config = JSON.parse(Buffer.from(s.data['.dockerconfigjson'], 'base64').toString());
    expect(config.auths['ghcr.io']).toEqual({ username: 'octo', password: 'ghp_x', auth: Buffer.from('octo:ghp_x').toString('base64') });
    const hub = renderPullSecret('iris', undefined, 'octo/iris:1', { username: 'u', password: 'p' }) as Record<string, any>;
    expect(Object.keys(JSON.parse(Buffer.from(hub.data['.dockerconfigjson'], 'base64').toString()).auths)).toEqual(['https://index.docker.io/v1/']);
    expect(() => renderPullSecret('iris', undefined, 'octo/iris:1', { username: 'u', password: '' })).toThrow(/both a username and a password/);
  });
});

describe('describePodProblems', () => {
  it('says why each container is not ready', () => {
    const pods = { items: [
      { metadata: { name: 'a' }, status: { containerStatuses: [{ ready: false, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } } }] } },
      { metadata: { name: 'b' }, status: { containerStatuses: [{ ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 2, reason: 'Error', message: 'golden row 0 differs' } } }] } },
      { metadata: { name: 'c' }, status: { containerStatuses: [{ ready: true, state: { running: {} } }] } },
    ] };
    expect(describePodProblems(JSON.stringify(pods))).toEqual([
      'pod a: ImagePullBackOff: Back-off pulling image "x"',
      'pod b: CrashLoopBackOff; last exit 2 (Error): golden row 0 differs',
    ]);
  });
});
