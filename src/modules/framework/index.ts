/** The framework module's public face: other modules use only what is exported here. */
import type { FastifyInstance } from 'fastify';
import type { PageCache } from '../../platform/page-cache.js';
import { registerFrameworkApi } from './framework.api.js';
import { registerFrameworkRoutes } from './framework.routes.js';
import type { FrameworkService } from './framework.service.js';

export {
  ContentError,
  listFrameworkDirs,
  loadFrameworkContent,
} from './content/framework-content.js';
export * from './framework.model.js';
export { createFrameworkService, type FrameworkService } from './framework.service.js';

/** The framework people describe themselves against and assess on, until there are several. */
export const DEFAULT_FRAMEWORK_SLUG = 'ai-digital-healthcare';

export function registerFrameworkModule(
  app: FastifyInstance,
  deps: { frameworks: FrameworkService; pages: PageCache },
): void {
  registerFrameworkRoutes(app, deps.frameworks, deps.pages);
  registerFrameworkApi(app, deps.frameworks);
}
