import { describe, expect, it } from 'vitest';
import { parsePlatform, selectPlatformManifest, type ImageIndex } from './manifest.ts';

const d = (arch: string, variant?: string) => ({ mediaType: 'm', digest: `sha256:${arch}${variant ?? ''}`, size: 1, platform: { os: 'linux', architecture: arch, ...(variant ? { variant } : {}) } });
// Shape of docker.io/library/node:24-bookworm-slim's index (amd64, arm/v7, arm64/v8, ppc64le, s390x).
const index: ImageIndex = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [d('amd64'), d('arm', 'v7'), d('arm64', 'v8'), d('s390x')] };

describe('platforms', () => {
  it('parses os/arch[/variant]', () => {
    expect(parsePlatform('linux/amd64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(parsePlatform('linux/arm64/v8')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(() => parsePlatform('amd64')).toThrow(/os\/arch/);
  });
  it('selects the matching manifest like containerd', () => {
    expect(selectPlatformManifest(index, { os: 'linux', architecture: 'amd64' })?.digest).toBe('sha256:amd64');
    expect(selectPlatformManifest(index, { os: 'linux', architecture: 'arm64' })?.digest).toBe('sha256:arm64v8');
    expect(selectPlatformManifest(index, { os: 'linux', architecture: 'arm', variant: 'v7' })?.digest).toBe('sha256:armv7');
    expect(selectPlatformManifest(index, { os: 'linux', architecture: 'arm', variant: 'v6' })).toBeUndefined();
    expect(selectPlatformManifest(index, { os: 'windows', architecture: 'amd64' })).toBeUndefined();
  });
});
