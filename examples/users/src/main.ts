import { runService } from '@exorelay/example-runtime';
import { createUsersService } from './users-service.js';

await runService('users', createUsersService);
