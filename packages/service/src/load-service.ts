import { access } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';
import { isServiceDefinition, type ServiceDefinition } from './define-service.js';
import { ConfigError, InvalidDefinitionError } from './errors.js';

let typeScriptRegistered = false;

/**
 * Imports a service module and returns its `defineService(…)` export (the default, or one named
 * `service`). TypeScript modules load without a loader flag: tsx's hooks are registered once.
 */
export async function loadService(file: string): Promise<ServiceDefinition> {
  try {
    await access(file);
  } catch {
    throw new ConfigError(`the service module ${file} does not exist`);
  }
  // tsx compiles .ts/.mts/.cts and leaves JavaScript alone; registering it once is enough.
  if (!typeScriptRegistered) {
    register();
    typeScriptRegistered = true;
  }
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const definition = module.default ?? module.service;
  if (!isServiceDefinition(definition)) {
    throw new InvalidDefinitionError(
      `${file} must export a service as its default: export default defineService({ handlers: { … } })`,
    );
  }
  return definition;
}
