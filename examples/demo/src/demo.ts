import type { Writable } from 'node:stream';
import { styleText } from 'node:util';
import { seedDemoFiles } from '@exorelay/example-files';
import { type Landscape, startInProcess, startProcesses } from './landscape.js';
import { steps } from './scenario.js';
import { Terminal } from './terminal.js';

export interface DemoOptions {
  /** Run ExoCom and the services inside this process instead of as separate processes. */
  inProcess: boolean;
  output: Writable & { isTTY?: boolean };
  /** Pause between copy progress replies, in ms, so the progress bar can be watched. */
  progressPace?: number;
}

/** Starts the landscape, runs the scenario, stops everything; resolves with whether every step passed. */
export async function runDemo({ inProcess, output, progressPace = 25 }: DemoOptions): Promise<boolean> {
  const colors = output.isTTY === true && process.env.NO_COLOR === undefined;
  const paint = (style: Parameters<typeof styleText>[0], text: string) => (colors ? styleText(style, text) : text);
  const terminal = new Terminal(output);
  const say = (line: string) => terminal.line(line);
  const { root, file } = await seedDemoFiles();
  const mode = inProcess ? 'in this process' : 'as separate processes';
  say(paint('bold', `Starting ExoCom and the users, files and web services ${mode} …`));
  const options = {
    filesRoot: root,
    colors,
    progressPace,
    log: (line: string) => say(`  ${paint('dim', '│')} ${line}`),
  };
  const landscape: Landscape = inProcess ? await startInProcess(options) : await startProcesses(options);
  let failures = 0;
  try {
    say(paint('bold', `The web server listens on http://127.0.0.1:${landscape.webPort}\n`));
    for (const step of steps) {
      say(paint('bold', `▶ ${step.title}`));
      try {
        await step.run({ webPort: landscape.webPort, filesRoot: root, file, terminal });
        say(paint('green', '  ✔ as expected'));
      } catch (error) {
        failures += 1;
        say(paint('red', `  ✘ ${(error as Error).message}`));
      }
    }
  } finally {
    await landscape[Symbol.asyncDispose]();
  }
  const summary = `${steps.length - failures} of ${steps.length} steps went as expected`;
  say(failures === 0 ? paint('green', `\n${summary}.`) : paint('red', `\n${summary}; ${failures} failed.`));
  return failures === 0;
}
