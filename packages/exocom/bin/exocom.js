#!/usr/bin/env node
// Committed, so that pnpm can link the command on install, before the build made dist/.
import '../dist/cli/main.js';
