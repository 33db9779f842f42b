export { seedDemoFiles } from './demo-files.js';
export type { FilesServiceOptions } from './service.js';
export { filesService } from './service.js';
