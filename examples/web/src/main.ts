import { runService } from '@exorelay/example-runtime';
import { WebServer } from './web-server.js';

await runService('web', (options) => new WebServer(options));
