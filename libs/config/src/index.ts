export { AppConfig, ConfigError, loadConfig } from './app-config.js';
export { ConfigModule } from './config.module.js';
export { createLogger, JsonLogger, type LogContext } from './logging/json-logger.js';
