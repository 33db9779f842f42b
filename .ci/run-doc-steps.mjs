// Runs docs/getting-started.md in a fresh folder: a fenced block with `title="path"` becomes that
// file, a `sh` block runs line by line. `npm install` of our packages installs the packed
// tarballs instead (TARBALLS: name=path,…). A line ending in `&` runs in the background until
// its `# wait for: TEXT` appears in its output; `# prints: TEXT` must appear in a line's output.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const [docPath, workDirectory] = process.argv.slice(2);
const tarballs = new Map(process.env.TARBALLS.split(',').map((entry) => entry.split('=')));
const blocks = [...readFileSync(docPath, 'utf8').matchAll(/^```(\w+)([^\n]*)\n([\s\S]*?)^```$/gm)];
let cwd = resolve(workDirectory);
const background = [];

// Background commands run in their own process group, so stopping one stops what it started.
function stopBackground() {
  for (const child of background) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

function fail(message) {
  stopBackground();
  console.error(`getting-started: ${message}`);
  process.exit(1);
}

// Our packages depend on @exorelay/protocol, which is not on the registry while it is a tarball
// here: the first install of our packages adds it too. (npm overrides refuse to override a
// dependency the project also names.)
function withTarballs(command) {
  if (!command.startsWith('npm install')) return command;
  const words = command.split(' ').map((word) => tarballs.get(word) ?? word);
  const manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  const installed = { ...manifest.dependencies, ...manifest.devDependencies };
  const protocol = tarballs.get('@exorelay/protocol');
  const namesOurs = words.some((word) => [...tarballs.values()].includes(word));
  if (namesOurs && installed['@exorelay/protocol'] === undefined && !words.includes(protocol)) words.push(protocol);
  return words.join(' ');
}

async function runInBackground(command, waitFor) {
  const child = spawn('bash', ['-c', command], { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  background.push(child);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 30_000;
  while (!output.includes(waitFor)) {
    if (child.exitCode !== null || Date.now() > deadline) fail(`'${command}' never printed '${waitFor}':\n${output}`);
    await new Promise((done) => setTimeout(done, 100));
  }
  console.log(`  … running: ${output.trim().split('\n')[0]}`);
}

for (const [, language, info, body] of blocks) {
  const title = /title="([^"]+)"/.exec(info)?.[1];
  if (title !== undefined) {
    mkdirSync(dirname(join(cwd, title)), { recursive: true });
    writeFileSync(join(cwd, title), body);
    console.log(`wrote ${title}`);
    continue;
  }
  if (language !== 'sh') continue;
  for (const line of body.split('\n').filter((text) => text.trim() !== '')) {
    const [commandPart, comment = ''] = line.split(/\s+#\s+/);
    const command = withTarballs(commandPart.trim());
    console.log(`$ ${command}`);
    const cd = /^mkdir (\S+) && cd \1$/.exec(command);
    if (cd) {
      cwd = join(cwd, cd[1]);
      mkdirSync(cwd, { recursive: true });
      continue;
    }
    if (command.endsWith('&')) {
      await runInBackground(command.slice(0, -1), comment.replace(/^wait for: /, ''));
      continue;
    }
    const result = spawnSync('bash', ['-c', command], { cwd, encoding: 'utf8', timeout: 300_000 });
    const output = `${result.stdout}${result.stderr}`;
    if (result.status !== 0) fail(`'${command}' exited ${result.status}:\n${output}`);
    const expected = comment.startsWith('prints: ') ? comment.slice('prints: '.length) : undefined;
    if (expected !== undefined && !output.includes(expected))
      fail(`'${command}' did not print '${expected}':\n${output}`);
  }
}
stopBackground();
console.log('getting-started: every step ran');
process.exit(0);
