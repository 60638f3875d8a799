/** The home module's public face: the signed-in home page that brings the other modules together. */
export { createHomeService, type HomeService } from './home.service.js';
export { registerHomeRoutes } from './home.routes.js';
