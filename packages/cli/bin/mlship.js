#!/usr/bin/env node
// The CLI bundle (built by `npm run build`); Node 24.
import '../dist/mlship.js';
