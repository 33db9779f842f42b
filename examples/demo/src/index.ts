export type { DemoOptions } from './demo.js';
export { runDemo } from './demo.js';
