import { runService } from '@exorelay/example-runtime';
import { seedDemoFiles } from './demo-files.js';
import { createFilesService } from './files-service.js';

const root = process.env.FILES_ROOT ?? (await seedDemoFiles()).root;
const progressPace = Number(process.env.FILES_PROGRESS_PACE ?? 0);
await runService('files', (options) => createFilesService({ ...options, root, progressPace }));
