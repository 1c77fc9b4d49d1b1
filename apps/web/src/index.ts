export { WebModule } from './web.module.js';
export { WebErrorPages } from './errors/web-error-pages.js';
