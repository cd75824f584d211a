// The esbuild options every mlship bundle is built with (scripts/build.mjs, and the tests and benchmarks
// that build a CLI bundle of their own): one ESM file for Node 24.
/** ESM bundles of CommonJS dependencies need a require(); the banner gives them one. */
const banner = { js: "import { createRequire as __mlshipCreateRequire } from 'node:module'; const require = __mlshipCreateRequire(import.meta.url);" };

export const bundleOptions = {
  bundle: true, platform: 'node', target: 'node24', format: 'esm', banner,
  // onnxruntime-node's native binding cannot be bundled: the SDK's loadOnnxRuntime() finds it at run time.
  external: ['onnxruntime-node'], legalComments: 'none', logLevel: 'warning',
  // Stable output: no absolute paths or timestamps, so --check compares like with like.
  sourcemap: false, minify: false, charset: 'utf8',
};
