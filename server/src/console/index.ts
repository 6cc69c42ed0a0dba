/** console — serves the built dispatcher/ops console (Vue) with its security headers. */
export { consoleRoutes } from './console.routes';
