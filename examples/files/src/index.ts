export { seedDemoFiles } from './demo-files.js';
export type { FilesServiceOptions } from './files-service.js';
export { createFilesService } from './files-service.js';
