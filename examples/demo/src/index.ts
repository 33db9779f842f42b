export type { DemoOptions } from './demo.js';
export { runDemo } from './demo.js';
export type { Landscape, LandscapeOptions } from './landscape.js';
export { startInProcess } from './landscape.js';
