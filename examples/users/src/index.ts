export type { User, UsersServiceOptions } from './users-service.js';
export { createUsersService } from './users-service.js';
