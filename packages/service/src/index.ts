export type { RunnerConfiguration, RunnerFlags } from './configuration.js';
export { resolveConfiguration } from './configuration.js';
export type { ServiceDeclaration, ServiceDefinition, ServiceHandlers } from './define-service.js';
export { defineService, isServiceDefinition } from './define-service.js';
export {
  ConfigError,
  ExoServiceError,
  ExoServiceErrorCode,
  HookFailedError,
  InvalidDefinitionError,
  isExoServiceError,
  UndeclaredMessageError,
} from './errors.js';
export { loadService } from './load-service.js';
export type { ServiceManifest } from './manifest.js';
export { readManifest } from './manifest.js';
export type { StartServiceOptions } from './running-service.js';
export { RunningService, startService } from './running-service.js';
export { scaffoldService } from './scaffold/scaffold-service.js';
export type { HookContext, ServiceContext, ServiceHandler, ServiceHook } from './service-context.js';
export type { ServiceLog } from './service-log.js';
