import { describe, expect, it } from 'vitest';
import { actionInputName, messageFor } from '../errors.ts';
import { chooseImageOutput, parseImageBuilder, parseLabels } from './outcome.ts';

const messageOf = (f: () => unknown, name = actionInputName) => {
  try { f(); } catch (err) { return messageFor(err, name); }
  return 'no error';
};

describe('chooseImageOutput', () => {
  it('a named local output wins; else the registry', () => {
    expect(chooseImageOutput({ ociLayout: 'out' })).toEqual({ kind: 'oci-layout', dir: 'out' });
    expect(chooseImageOutput({ push: true, dockerTar: 'i.tar' })).toEqual({ kind: 'docker-tar', file: 'i.tar' });
    expect(chooseImageOutput({})).toEqual({ kind: 'push' });
  });
  it('two local outputs, or push false with none, are errors naming the options', () => {
    expect(messageOf(() => chooseImageOutput({ ociLayout: 'a', dockerTar: 'b' }))).toBe('choose one of input "oci-layout" and input "docker-tar": the image is written to one place.');
    expect(messageOf(() => chooseImageOutput({ push: false }))).toBe('input "push" is false but neither input "oci-layout" nor input "docker-tar" is set: say where the image should go.');
  });
});

describe('parseLabels', () => {
  it('KEY=VALUE items; values keep = and commas; blanks skipped', () => {
    expect(parseLabels(['a=1', ' b = x=y,z ', ''])).toEqual({ a: '1', 'b ': ' x=y,z' });
    expect(parseLabels(undefined)).toEqual({});
  });
  it('an item without a key names the option', () => {
    expect(messageOf(() => parseLabels(['=x'], 'label'), (k) => `--${k}`)).toBe('--label: "=x" is not KEY=VALUE.');
  });
});

describe('parseImageBuilder', () => {
  it('mlship by default, docker on request, else an error', () => {
    expect(parseImageBuilder(undefined)).toBe('mlship');
    expect(parseImageBuilder('docker')).toBe('docker');
    expect(messageOf(() => parseImageBuilder('kaniko'))).toBe('input "builder" must be "mlship" or "docker", got "kaniko".');
  });
});
