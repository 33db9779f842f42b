export type { User } from './service.js';
export { default as usersService } from './service.js';
