export { AppConfig, ConfigError, keepDemoSecret, loadConfig, type RateLimitSettings } from './app-config.js';
export { CONFIG_VARIABLES, productionRequiredVariables, type ConfigVariable, type ConfigVariableName, type Requirement } from './config-variables.js';
export { ConfigModule } from './config.module.js';
export { codeLookup, DomainError } from './errors/domain-error.js';
export { AppLogger, addToLogContext, createLogger, currentRequestId, logRoutineAtDebug, runWithLogContext, type LogContext } from './logging/logger.js';
export { loggableUrl } from './logging/redaction.js';
export { requestIdFrom, requestIdOf, requestIdOfJob, withRequestId } from './logging/request-id.js';
export { requestLogContextModule, requestLogger } from './logging/request-logging.js';
export { isPublicAddress } from './outbound/address-policy.js';
export {
  outboundRequest,
  OutboundRequestError,
  type OutboundRequestErrorCode,
  type OutboundRequestOptions,
  type OutboundResponse,
} from './outbound/outbound-http.js';
export { assignCspNonce, cspNonce } from './http/csp-nonce.js';
export { escapeHtml, escapeXml } from './text/escape.js';
export {
  boundedLabel,
  collectProcessMetrics,
  digestDeliveries,
  digestDeliveryFailures,
  graphqlOperations,
  httpRequestDuration,
  metricsRegistry,
  rateLimitRefusals,
  samlSignInRefusals,
  samlSignIns,
  scrapeGauge,
} from './metrics/metrics.js';
export { mainPortMetricsAccess, metricsHandler, serveMetrics, type MetricsAccess, type MetricsServer } from './metrics/metrics-endpoint.js';
