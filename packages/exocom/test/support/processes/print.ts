/** One JSON line on stdout: how the flood scripts report to the test that spawned them. */
export function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
